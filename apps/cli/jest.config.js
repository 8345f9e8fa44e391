const { jestConfig } = require('../../jest.preset');

// commander 15 is ESM-only: let @swc/jest turn it into CommonJS like the project's own code.
module.exports = jestConfig(__dirname, {
  transformIgnorePatterns: ['/node_modules/(?!commander/)'],
});
