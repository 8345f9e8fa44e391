import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { distPrograms, requireBuilt } from './dist-paths';

describe('distPrograms', () => {
  it('finds the other apps where the source tree (which dist mirrors) has them', () => {
    const programs = distPrograms(__dirname);
    expect(programs.controlPlane.endsWith(join('apps', 'control-plane', 'src', 'main.js'))).toBe(
      true,
    );
    expect(existsSync(programs.controlPlane.replace(/\.js$/, '.ts'))).toBe(true);
    expect(existsSync(join(programs.nodeAgent, '..'))).toBe(true);
    expect(programs.simulatedEngine.replace(/\.js$/, '.ts')).toBe(
      join(__dirname, '..', '..', '..', 'simulated-engine', 'src', 'main.ts'),
    );
    expect(existsSync(programs.simulatedEngine.replace(/\.js$/, '.ts'))).toBe(true);
  });

  it('puts the simulated engine where the agent looks for it (beside its own build)', () => {
    const programs = distPrograms('/dist/apps/cli/src/up');
    // apps/node-agent/src/node/simulated-engine-path.ts: '../../../simulated-engine/src/main.js'
    // from dist/apps/node-agent/src/node.
    expect(programs.simulatedEngine).toBe(
      resolve('/dist/apps/node-agent/src/node', '../../../simulated-engine/src/main.js'),
    );
  });

  it('says to build when a program is missing', () => {
    expect(() => requireBuilt({ agent: '/nowhere/main.js' })).toThrow(
      'not built: /nowhere/main.js; run `npm run build`',
    );
    expect(() => requireBuilt({ self: __filename })).not.toThrow();
  });
});
