/**
 * The node agent for the integration tests, built the way `nx run node-agent:build` builds it,
 * then copied to a folder of this test worker's own, so that a build by a parallel worker (or
 * by anyone else) cannot pull the files from under a running agent.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The agent, the libraries it loads at run time, and the simulated engine it starts. */
const PROJECTS = [
  'libs/config',
  'libs/domain',
  'libs/files',
  'libs/grpc',
  'libs/observability',
  'libs/proto',
  'libs/workers',
  'libs/workloads',
  'apps/node-agent',
  'apps/simulated-engine',
];

function newest(dir: string, pattern: RegExp): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full, pattern));
    else if (pattern.test(entry.name)) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

/** Projects whose dist/ output is missing or older than their sources. */
function stale(): string[] {
  return PROJECTS.filter((project) => {
    const built = newest(path.join(REPO_ROOT, 'dist', project, 'src'), /\.js$/);
    return built === 0 || newest(path.join(REPO_ROOT, project, 'src'), /\.ts$/) > built;
  });
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

/** Builds what is stale (usually nothing after an Nx build), copies it, returns the copy's main.js. */
export async function buildAgent(): Promise<string> {
  const dist = path.join(REPO_ROOT, 'dist');
  const lock = path.join(dist, '.node-agent-build.lock');
  mkdirSync(dist, { recursive: true });
  const deadline = Date.now() + 60_000;
  while (!tryLock(lock)) {
    if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true }); // stale lock
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const copy = path.join(dist, '.agent-it', String(process.pid));
  try {
    const projects = stale();
    if (projects.length > 0)
      execFileSync(process.execPath, ['tools/build.mjs', ...projects], {
        cwd: REPO_ROOT,
        stdio: 'pipe',
      });
    rmSync(copy, { recursive: true, force: true });
    for (const project of PROJECTS)
      cpSync(path.join(dist, project), path.join(copy, project), { recursive: true });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return path.join(copy, 'apps/node-agent/src/main.js');
}

/** Removes this worker's copy of the built agent. */
export function removeAgentBuild(main: string): void {
  const copy = path.resolve(main, '../../../..');
  rmSync(copy, { recursive: true, force: true });
  try {
    rmdirSync(path.dirname(copy)); // the last worker removes the parent too
  } catch {
    // another worker's copy is still there
  }
}
