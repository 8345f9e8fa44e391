import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderConfigReference } from './reference';

describe('configuration reference', () => {
  it('documents every variable with its default', () => {
    const text = renderConfigReference();
    for (const name of [
      'DATABASE_URL',
      'REDIS_URL',
      'GANTRY_NODE_LOST_TIMEOUT_SECONDS',
      'GANTRY_SIMULATE_GPUS',
      'GANTRY_HOME',
    ]) {
      expect(text).toContain(`| \`${name}\` |`);
    }
    expect(text).toContain('| `GANTRY_NODE_LOST_TIMEOUT_SECONDS` | `15` | seconds |');
  });

  it('is what the README shows (regenerate with `npm run docs:config`)', () => {
    const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const section = /<!-- config:start -->\n([\s\S]*)<!-- config:end -->/.exec(readme)?.[1];
    expect(section).toBe(renderConfigReference());
  });
});
