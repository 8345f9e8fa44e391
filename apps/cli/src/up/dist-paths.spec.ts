import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { distPrograms, requireBuilt } from './dist-paths';

describe('distPrograms', () => {
  it('finds the other apps where the source tree (which dist mirrors) has them', () => {
    const programs = distPrograms(__dirname);
    expect(programs.controlPlane.endsWith(join('apps', 'control-plane', 'src', 'main.js'))).toBe(
      true,
    );
    expect(existsSync(programs.controlPlane.replace(/\.js$/, '.ts'))).toBe(true);
    expect(existsSync(join(programs.nodeAgent, '..'))).toBe(true);
  });

  it('says to build when a program is missing', () => {
    expect(() => requireBuilt({ agent: '/nowhere/main.js' })).toThrow(
      'not built: /nowhere/main.js; run `npm run build`',
    );
    expect(() => requireBuilt({ self: __filename })).not.toThrow();
  });
});
