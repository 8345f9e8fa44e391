import type { SandboxRequest, SandboxResult } from '@gantry/workloads';
import { lazySandbox } from './lazy-sandbox';

const request: SandboxRequest = {
  files: {},
  argv: ['true'],
  timeLimitMs: 1000,
  memoryLimitBytes: 1 << 26,
};
const result: SandboxResult = {
  exitCode: 0,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  durationMs: 1,
};

describe('lazySandbox', () => {
  it('creates the sandbox on the first run only, and again after a failed creation', async () => {
    const attempts: string[] = [];
    const sandbox = lazySandbox(async () => {
      attempts.push('create');
      if (attempts.length === 1) throw new Error('no isolation works here');
      return { run: async () => result };
    });
    expect(attempts).toEqual([]);
    await expect(sandbox.run(request)).rejects.toThrow('no isolation works here');
    expect(await sandbox.run(request)).toBe(result);
    expect(await sandbox.run(request)).toBe(result);
    expect(attempts).toEqual(['create', 'create']);
  });
});
