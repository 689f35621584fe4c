// Before the release rehearsal (`npm run release:rehearse`): it uploads build/build.zip and
// build/source.zip, which `npm run zip` writes. Without them, say so in one line and stop, instead
// of failing every test of the rehearsal.
const fs = require('node:fs');
const path = require('node:path');
const requireDist = require('../global-setup.js');

/** The zips the rehearsal needs that are not in `rootDir`/build. */
const missingZips = (rootDir) =>
  ['build.zip', 'source.zip']
    .map((name) => path.join('build', name))
    .filter((file) => !fs.existsSync(path.join(rootDir, file)));

module.exports = ({ rootDir }) => {
  requireDist(); // the rehearsal loads the compiled app too
  const missing = missingZips(rootDir);
  if (missing.length > 0) {
    process.stderr.write(`${missing.join(' and ')} missing: run \`npm run zip\` first.\n`);
    process.exit(1);
  }
};
