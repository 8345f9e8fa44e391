const { jestConfig } = require('../../jest.preset');

// End-to-end tests start real processes (control planes, agents, redis-server) built in dist/.
module.exports = jestConfig(__dirname, { testTimeout: 180_000, maxWorkers: 1 });
