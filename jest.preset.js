// Shared Jest configuration: @swc/jest for speed (decorators and their metadata included, for
// NestJS), tsconfig path aliases mapped to source so tests never need a build.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.json');

const root = __dirname;

function moduleNameMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias.replace('/', '\\/')}$`] = path.join(root, target);
  }
  return mapper;
}

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/**
 * @param {string} projectDir absolute folder of the project
 * @param {import('jest').Config} overrides
 * @returns {import('jest').Config}
 */
function jestConfig(projectDir, overrides = {}) {
  return {
    displayName: path.relative(root, projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    transform: { '^.+\\.[tj]s$': swc },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: moduleNameMapper(),
    testMatch: ['<rootDir>/**/*.spec.ts'],
    clearMocks: true,
    ...overrides,
  };
}

module.exports = { jestConfig };
