// `npm run n8n:build`: the n8n community package's output, n8n/dist. Each node and the credential
// is one CommonJS file with the ISAO core bundled in (n8n installs a community package without
// its dependencies, and the core is this project's source); n8n-workflow stays external (n8n
// provides it, the package declares it as a peer). The output may import nothing else but
// node:crypto, as n8n's rules for community nodes require: the build checks it.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..', '..');
const pkgDir = path.join(root, 'n8n');
/** n8n/dist, or the folder given as the first argument (a test's temporary build). */
const dist = process.argv[2] ? path.resolve(process.argv[2]) : path.join(pkgDir, 'dist');

/** Source → output, as package.json's `n8n` section names the outputs. */
const ENTRIES = [
  'credentials/IsaoApi.credentials',
  'nodes/Isao/Isao.node',
  'nodes/IsaoTrigger/IsaoTrigger.node',
];
/** What the package's output may import at run time. */
const ALLOWED_IMPORTS = new Set(['n8n-workflow', 'node:crypto']);

/** Files copied as they are: the icon and each node's codex. */
const copied = () => [
  'icons/isao.svg',
  'icons/isao.dark.svg',
  ...ENTRIES.filter((entry) => entry.startsWith('nodes/')).map((entry) => `${entry}.json`),
];

const build = async () => {
  fs.rmSync(dist, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(
      ENTRIES.map((entry) => [entry, path.join(pkgDir, `${entry}.ts`)]),
    ),
    outdir: dist,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['n8n-workflow'],
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const imports = new Set(
    Object.values(result.metafile.outputs).flatMap((output) =>
      output.imports.filter((i) => i.external).map((i) => i.path),
    ),
  );
  const refused = [...imports].filter((name) => !ALLOWED_IMPORTS.has(name));
  if (refused.length > 0) {
    throw new Error(`n8n/dist imports ${refused.join(', ')}: only n8n-workflow and node:crypto`);
  }
  for (const file of copied()) {
    fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
    fs.copyFileSync(path.join(pkgDir, file), path.join(dist, file));
  }
  console.log(
    `${path.relative(root, dist)}: ${ENTRIES.length} entries, ${copied().length} files copied`,
  );
};

build().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
