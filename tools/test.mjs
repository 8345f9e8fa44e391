#!/usr/bin/env node
// `npm test`: every check the project has, in an order that fails fast and keeps the two CPU
// cores of a CI machine busy without starving the timing-sensitive end-to-end tests:
//   1. formatting, the API lint (buf), ESLint, type-check and unit tests of every project,
//      plus the integration tests against the real Redis and PostgreSQL (Nx, two at a time);
//   2. the end-to-end tests, alone (they start real processes and measure failover times).
import { spawnSync } from 'node:child_process';

const steps = [
  ['prettier', ['--check', '.']],
  [
    'nx',
    [
      'run-many',
      '-t',
      'buf-lint',
      'lint',
      'typecheck',
      'test',
      '--exclude=e2e',
      '--outputStyle=stream',
    ],
  ],
  ['nx', ['run', 'e2e:test', '--outputStyle=stream']],
];

for (const [command, args] of steps) {
  const started = Date.now();
  console.log(`\n> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    console.error(`\n${command} failed after ${seconds}s (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  console.log(`(${seconds}s)`);
}
