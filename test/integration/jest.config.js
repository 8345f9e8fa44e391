const { jestConfig } = require('../../jest.preset');

// Integration tests talk to a real Redis and a real PostgreSQL (see libs/config testSpec);
// each test isolates itself with its own key prefix, redis-server or schema.
module.exports = jestConfig(__dirname, { testTimeout: 60_000, maxWorkers: 2 });
