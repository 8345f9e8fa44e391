/**
 * The simulated engine as a program, for tests that run it as a child process: built with
 * tools/build.mjs (as `nx run simulated-engine:build` builds it) under a lock, so parallel test
 * workers do not build over each other, then copied to a folder of this worker's own, so a
 * later build cannot pull the files from under a running engine. The engine imports nothing
 * but Node, so the copy is one folder. (test/integration/src/agent/agent-build.ts does the same
 * for the node agent.)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

/** Builds the engine, copies it to a fresh temporary folder, returns the copy's main.js. */
export async function buildSimulatedEngine(): Promise<string> {
  const dist = path.join(REPO_ROOT, 'dist');
  const lock = path.join(dist, '.simulated-engine-build.lock');
  mkdirSync(dist, { recursive: true });
  const deadline = Date.now() + 60_000;
  // Another worker holds the lock for the few milliseconds of its build; nothing to await.
  while (!tryLock(lock)) {
    if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true }); // stale lock
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const copy = mkdtempSync(path.join(tmpdir(), 'gantry-simulated-engine-'));
  try {
    execFileSync(process.execPath, ['tools/build.mjs', 'apps/simulated-engine'], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    });
    cpSync(path.join(dist, 'apps/simulated-engine'), copy, { recursive: true });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return path.join(copy, 'src/main.js');
}

/** Removes a copy made by buildSimulatedEngine. */
export function removeSimulatedEngineBuild(main: string): void {
  rmSync(path.resolve(main, '../..'), { recursive: true, force: true });
}
