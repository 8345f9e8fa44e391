// ESLint for the whole workspace. Module boundaries are the architecture: the tags in each
// project.json say what a project is, and the constraints below say what it may import.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';

// Libraries that do I/O or bring a framework: the functional core must not touch them.
const ioModules = [
  '@nestjs/*',
  '@grpc/*',
  'grpc-health-check',
  'ioredis',
  'bullmq',
  'pg',
  'kysely',
  '@electric-sql/*',
  'testcontainers',
  'pino',
  'prom-client',
  'commander',
  'express',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'net',
  'node:net',
  'http',
  'node:http',
  'http2',
  'node:http2',
  'dgram',
  'node:dgram',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.nx/**',
      'libs/proto/src/gen/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...nx.configs['flat/base'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through @gantry/config (the only reader of process.env).',
        },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:proto', onlyDependOnLibsWithTags: [] },
            // apps/portal: TypeScript the browser runs as compiled, file by file (no bundler).
            {
              sourceTag: 'type:web',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['*'],
            },
            { sourceTag: 'type:config', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:observability', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ioModules,
            },
            {
              sourceTag: 'type:policy',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: ioModules,
            },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:rpc', onlyDependOnLibsWithTags: ['type:domain', 'type:proto'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain'] },
            // libs/files (FileStore): the agent's openai backend reads and writes job files.
            { sourceTag: 'type:files', onlyDependOnLibsWithTags: ['type:domain'] },
            {
              sourceTag: 'type:workloads',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: ioModules,
            },
            {
              sourceTag: 'type:workers',
              onlyDependOnLibsWithTags: ['type:domain', 'type:workloads', 'type:files'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:proto',
                'type:rpc',
                'type:config',
                'type:observability',
                'type:domain',
                'type:policy',
                'type:data-access',
                'type:workers',
                'type:workloads',
              ],
            },
            {
              sourceTag: 'app:cli',
              // type:policy: `gantry simulate` replays traces through the pure policies.
              onlyDependOnLibsWithTags: [
                'type:proto',
                'type:rpc',
                'type:domain',
                'type:config',
                'type:policy',
              ],
            },
            {
              sourceTag: 'type:test',
              onlyDependOnLibsWithTags: [
                'type:proto',
                'type:rpc',
                'type:config',
                'type:observability',
                'type:domain',
                'type:policy',
                'type:data-access',
                'type:workers',
                'type:workloads',
                'type:testing',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    // The functional core: Node's I/O modules are off limits too (Nx only checks packages).
    files: ['libs/domain/**/*.ts', 'libs/scheduling/**/*.ts', 'libs/workloads/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules
            .filter((m) => !m.includes('*'))
            .map((name) => ({ name, message: 'The functional core does no I/O.' })),
          patterns: [
            {
              group: ['@nestjs/*', '@grpc/*', '@electric-sql/*'],
              message: 'The functional core does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // libs/config is the one place allowed to read the environment.
    files: ['libs/config/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
