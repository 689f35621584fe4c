/**
 * The reference the bench measures against: a bare core-19 app generated here, with one no-op
 * hook trigger whose perform hands back the webhook's record untouched. It is built exactly
 * like ours (scripts/zip.js: staged with production dependencies copied from node_modules, then
 * `zapier-platform build --skip-validation --skip-dep-install`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BARE_TRIGGER = 'noop';
export const CORE_VERSION = '19.1.0';

const INDEX_JS = `// A bare zapier-platform-core ${CORE_VERSION} app: one no-op hook trigger.
const { version } = require('zapier-platform-core');

module.exports = {
  version: '1.0.0',
  platformVersion: version,
  triggers: {
    ${BARE_TRIGGER}: {
      key: '${BARE_TRIGGER}',
      noun: 'Event',
      display: { label: 'New Event', description: 'Triggers when an event arrives.' },
      operation: {
        type: 'hook',
        // the least a hook trigger does: hand Zapier the webhook's record as it came
        perform: (z, bundle) => [bundle.cleanedRequest.data],
        performSubscribe: () => ({}),
        performUnsubscribe: () => ({}),
        performList: () => [],
        sample: { id: '1' },
      },
    },
  },
};
`;

/** Writes the bare app's source (package.json, index.js, .zapierapprc) into `dir`. */
export const writeBareApp = (dir: string, ourAppRc: string): string[] => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const pkg = {
    name: 'bare-core-19',
    version: '1.0.0',
    description: 'A bare zapier-platform-core 19 app: the benchmarks reference.',
    main: 'index.js',
    private: true,
    dependencies: { 'zapier-platform-core': CORE_VERSION },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'index.js'), INDEX_JS);
  // the same build settings as ours (core's require.mjs files kept), without our app's id
  const { includeInBuild } = JSON.parse(fs.readFileSync(ourAppRc, 'utf8')) as {
    includeInBuild?: string[];
  };
  fs.writeFileSync(
    path.join(dir, '.zapierapprc'),
    `${JSON.stringify({ includeInBuild }, null, 2)}\n`,
  );
  return ['index.js', '.zapierapprc'];
};
