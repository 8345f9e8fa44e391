import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FailedPreconditionError } from '@gantry/domain';

/** The built programs a local cluster runs. */
export interface DistPrograms {
  readonly controlPlane: string;
  readonly nodeAgent: string;
  /**
   * The engine the agents start for the inference job kinds (the `simulated` preset). The agent
   * finds it itself, beside its own build (dist/apps/simulated-engine); `gantry up` only checks
   * it is there, so a missing build fails at start-up rather than in every inference job.
   */
  readonly simulatedEngine: string;
}

/**
 * The built programs `gantry up` starts. dist/ mirrors the source tree, so from this file's
 * folder (dist/apps/cli/src/up) the other apps are three levels up: dist/apps/<app>/src/main.js.
 */
export function distPrograms(here: string = __dirname): DistPrograms {
  const apps = resolve(here, '..', '..', '..');
  const main = (app: string) => resolve(apps, app, 'src', 'main.js');
  return {
    controlPlane: main('control-plane'),
    nodeAgent: main('node-agent'),
    simulatedEngine: main('simulated-engine'),
  };
}

/** Throws, saying to build, when a program is missing. */
export function requireBuilt<T extends { readonly [K in keyof T]: string }>(programs: T): void {
  const missing = Object.values<string>(programs).filter((path) => !existsSync(path));
  if (missing.length > 0)
    throw new FailedPreconditionError(
      `not built: ${missing.join(', ')}; run \`npm run build\` in the repository first`,
    );
}
