#!/usr/bin/env node
// The `gantry` command: checks the Node.js version, then runs the built CLI.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const [major, minor] = process.versions.node.split('.').map(Number);
// 22.12 is the first Node 22 that loads ES modules (commander 15) from CommonJS.
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `gantry: error: Node.js 22.12 or newer is needed (this is ${process.version}); ` +
      'Gantry is developed and tested on Node 24 LTS\n',
  );
  process.exit(1);
}

const main = path.resolve(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write(
    `gantry: error: the CLI is not built (${main} is missing); run \`npm run build\` in ${path.resolve(__dirname, '..', '..', '..')}\n`,
  );
  process.exit(1);
}
require(main);
