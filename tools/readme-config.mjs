#!/usr/bin/env node
// Rewrites the configuration reference in README.md (between the config markers) from the
// variable definitions in libs/config. Run `npm run docs:config` after changing a variable;
// a unit test fails while the README is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [path.join(root, 'tools/build.mjs'), 'libs/config'], {
  stdio: 'ignore',
});
const { renderConfigReference } = createRequire(import.meta.url)(
  path.join(root, 'dist/libs/config/src/index.js'),
);
const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const updated = readme.replace(
  /<!-- config:start -->\n[\s\S]*<!-- config:end -->/,
  `<!-- config:start -->\n${renderConfigReference()}<!-- config:end -->`,
);
writeFileSync(readmePath, updated);
console.log(
  updated === readme ? 'README.md already up to date' : 'README.md configuration reference updated',
);
