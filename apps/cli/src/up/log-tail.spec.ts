import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExit, START_MARKER, tailLog } from './log-tail';

describe('describeExit', () => {
  it('says how a child ended', () => {
    expect(describeExit({ name: 'control-plane', code: 78, signal: null, logFile: '' })).toBe(
      'control-plane exited with code 78',
    );
    expect(describeExit({ name: 'node-1', code: null, signal: 'SIGKILL', logFile: '' })).toBe(
      'node-1 was killed by SIGKILL',
    );
  });
});

describe('tailLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-tail-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the last lines, JSON records shortened to level and message', async () => {
    const path = join(dir, 'cp.log');
    await writeFile(
      path,
      [
        'old line',
        JSON.stringify({ level: 30, msg: 'starting', pid: 1 }),
        'plain text',
        JSON.stringify({
          level: 60,
          msg: 'control plane failed to start',
          err: { message: 'ECONNREFUSED' },
        }),
        '',
      ].join('\n'),
    );
    await expect(tailLog(path, 3)).resolves.toEqual([
      'info starting',
      'plain text',
      'fatal control plane failed to start (ECONNREFUSED)',
    ]);
  });

  it('starts after the last start marker, so an earlier run does not show', async () => {
    const path = join(dir, 'agent.log');
    await writeFile(
      path,
      [
        `${START_MARKER}node-1 at t1: node a.js`,
        'run 1',
        `${START_MARKER}node-1 at t2: node a.js`,
        'run 2',
      ].join('\n'),
    );
    await expect(tailLog(path)).resolves.toEqual(['run 2']);
  });

  it('is empty for a missing log', async () => {
    await expect(tailLog(join(dir, 'none.log'))).resolves.toEqual([]);
  });
});
