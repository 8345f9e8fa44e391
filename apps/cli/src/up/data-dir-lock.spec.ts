import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FailedPreconditionError } from '@gantry/domain';
import { lockDataDir, processIsAlive } from './data-dir-lock';

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a pid file and removes it on release', async () => {
    const release = await lockDataDir(dir, 1234, () => true);
    expect(await readFile(join(dir, 'gantry-up.pid'), 'utf8')).toBe('1234\n');
    await release();
    expect(existsSync(join(dir, 'gantry-up.pid'))).toBe(false);
  });

  it('refuses a data dir a live process holds', async () => {
    await writeFile(join(dir, 'gantry-up.pid'), '999\n');
    const taking = lockDataDir(dir, 1234, (pid) => pid === 999);
    await expect(taking).rejects.toThrow(FailedPreconditionError);
    await expect(lockDataDir(dir, 1234, (pid) => pid === 999)).rejects.toThrow(
      'another `gantry up` (pid 999) is using',
    );
  });

  it('takes over a lock left by a dead process', async () => {
    await writeFile(join(dir, 'gantry-up.pid'), '999\n');
    const release = await lockDataDir(dir, 1234, () => false);
    expect(await readFile(join(dir, 'gantry-up.pid'), 'utf8')).toBe('1234\n');
    await release();
  });

  it('tells a live process from a dead one', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(processIsAlive(2 ** 22 + 12345)).toBe(false);
  });
});
