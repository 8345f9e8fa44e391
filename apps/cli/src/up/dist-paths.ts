import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FailedPreconditionError } from '@gantry/domain';

/**
 * The built programs `gantry up` starts. dist/ mirrors the source tree, so from this file's
 * folder (dist/apps/cli/src/up) the other apps are three levels up: dist/apps/<app>/src/main.js.
 */
export function distPrograms(here: string = __dirname): {
  controlPlane: string;
  nodeAgent: string;
} {
  const apps = resolve(here, '..', '..', '..');
  return {
    controlPlane: resolve(apps, 'control-plane', 'src', 'main.js'),
    nodeAgent: resolve(apps, 'node-agent', 'src', 'main.js'),
  };
}

/** Throws, saying to build, when a program is missing. */
export function requireBuilt(programs: Readonly<Record<string, string>>): void {
  const missing = Object.values(programs).filter((path) => !existsSync(path));
  if (missing.length > 0)
    throw new FailedPreconditionError(
      `not built: ${missing.join(', ')}; run \`npm run build\` in the repository first`,
    );
}
