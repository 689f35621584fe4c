// Zapier loads this file. The app itself is TypeScript in src/, compiled to dist/ by `npm run build`
// (the CLI runs it through the `_zapier-build` script before validate, test and build).
module.exports = require('./dist/src/index.js').default;
