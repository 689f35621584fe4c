// Before any test file: the publishing checks (test/checks/) and the release tests judge the
// compiled app in dist/, which `npm test` builds before it runs jest. `npx jest` on its own in a
// fresh clone has none: say so in one line instead of failing every check.
const fs = require('node:fs');
const path = require('node:path');

module.exports = () => {
  if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'src', 'index.js'))) {
    process.stderr.write(
      '\ndist/ is missing: run `npm run build` first (`npm test` builds before it runs jest).\n',
    );
    process.exit(1);
  }
};
