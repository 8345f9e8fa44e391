const { jestConfig } = require('../../jest.preset');

// The portal's modules import each other as `./x.js` (what the browser loads): map to the source.
module.exports = jestConfig(__dirname, { moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' } });
