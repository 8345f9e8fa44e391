import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FailedPreconditionError } from '@gantry/domain';

export type IsAlive = (pid: number) => boolean;

/** Signal 0 checks a process exists without touching it (EPERM: it exists, not ours). */
export const processIsAlive: IsAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the data directory for one `gantry up` (two would share one embedded database, which
 * PGlite does not allow). The lock is a pid file; one left by a process that died is taken
 * over. Returns the function that releases it.
 */
export async function lockDataDir(
  dataDir: string,
  pid: number = process.pid,
  isAlive: IsAlive = processIsAlive,
): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'gantry-up.pid');
  for (let tries = 0; tries < 3; tries++) {
    try {
      await writeFile(path, `${pid}\n`, { flag: 'wx', mode: 0o600 });
      return async () => {
        const owner = await readFile(path, 'utf8').catch(() => '');
        if (Number(owner.trim()) === pid) await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== pid && isAlive(holder))
      throw new FailedPreconditionError(
        `another \`gantry up\` (pid ${holder}) is using ${dataDir}; stop it, or pass another --data-dir`,
      );
    await rm(path, { force: true });
  }
  throw new FailedPreconditionError(`cannot lock ${dataDir} (${path} keeps reappearing)`);
}
