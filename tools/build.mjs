#!/usr/bin/env node
// Compiles TypeScript sources to CommonJS under dist/, mirroring the repository tree, with SWC
// (decorator metadata included, which NestJS dependency injection reads). Path aliases
// (@gantry/*) are rewritten to relative paths, so dist/ runs with plain `node`.
//
// usage: node tools/build.mjs [--browser] <project-root> [<project-root> ...]
//   Compiles each named project's src/ into dist/<project-root>. Each library has its own build
//   target and apps depend on their libraries' builds (Nx `^build`), so every project is
//   compiled once. Type errors are the typecheck target's job, not this one's.
//   --browser (apps/portal): ES modules a browser loads as they are (imports name `./x.js`), and
//   the page's other files (.html, .css, .svg) copied beside them.
import { transformFile } from '@swc/core';
import { copyFile, mkdir, readdir, writeFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const browser = process.argv.includes('--browser');
const dist = path.join(root, 'dist');
const tsconfig = JSON.parse(
  await import('node:fs/promises').then((fs) =>
    fs.readFile(path.join(root, 'tsconfig.json'), 'utf8'),
  ),
);

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // Test helpers beside the code (src/testing/) are not part of what ships.
      if (entry.name === 'node_modules' || entry.name === 'testing') continue;
      yield* sources(full);
    } else if (
      /\.ts$/.test(entry.name) &&
      !/\.(spec|test)\.ts$/.test(entry.name) &&
      !entry.name.endsWith('.d.ts')
    ) {
      yield full;
    } else if (browser && /\.(html|css|svg)$/.test(entry.name)) {
      yield full;
    }
  }
}

const options = browser
  ? { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }
  : {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
        baseUrl: root,
        paths: tsconfig.compilerOptions.paths,
      },
      module: { type: 'commonjs' },
    };

async function compile(file) {
  if (!file.endsWith('.ts')) {
    const copy = path.join(dist, path.relative(root, file));
    await mkdir(path.dirname(copy), { recursive: true });
    return copyFile(file, copy);
  }
  const out = path.join(dist, path.relative(root, file)).replace(/\.ts$/, '.js');
  const result = await transformFile(file, { ...options, sourceMaps: true, outputPath: out });
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${result.code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
  if (result.map) await writeFile(`${out}.map`, result.map);
}

const projects = process.argv.slice(2).filter((arg) => arg !== '--browser');
if (projects.length === 0) {
  console.error('usage: node tools/build.mjs [--browser] <project-root> [<project-root> ...]');
  process.exit(2);
}
const started = Date.now();
let count = 0;
for (const project of new Set(projects)) {
  const src = path.join(root, project, 'src');
  if (!existsSync(src)) continue;
  await rm(path.join(dist, project), { recursive: true, force: true });
  const jobs = [];
  for await (const file of sources(src)) jobs.push(compile(file));
  await Promise.all(jobs);
  count += jobs.length;
}
console.log(`built ${count} files for ${projects.join(', ')} in ${Date.now() - started} ms`);
