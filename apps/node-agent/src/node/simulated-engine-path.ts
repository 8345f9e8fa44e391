import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The simulated engine's program beside this agent's build: `nx run node-agent:build` builds
 * apps/simulated-engine too, so from `dist/apps/node-agent/src/node/` it is
 * `dist/apps/simulated-engine/src/main.js`. Undefined where it is not there (the agent run from
 * its sources): the `simulated` engine preset is then refused with a clear message.
 */
export function simulatedEnginePath(from: string = __dirname): string | undefined {
  const main = path.resolve(from, '../../../simulated-engine/src/main.js');
  return existsSync(main) ? main : undefined;
}
