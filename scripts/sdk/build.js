// `npm run sdk:build`: the @isao/webhooks package's dist/, ESM (.mjs) and CommonJS (.cjs), with
// the ISAO core bundled in (no runtime dependency). Three entries: the package (node), `web`
// (no node:crypto: the core's one synchronous hash comes from sdk/src/crypto-web.ts, the HMAC
// from Web Crypto) and `testing` (signed deliveries for tests); and the `isao` CLI (the bin,
// CommonJS only, with the conformance vectors beside it for `isao verify --vectors`). The build
// checks what each output imports at run time: node built-ins for the node entries, nothing for
// `web`.
//
// node scripts/sdk/build.js [packageDir] [--no-types]
//   packageDir: where the package is written (default sdk/); another folder gets a copy of
//   sdk/package.json, README.md and LICENSE beside its dist/, ready for `npm pack`.
//   --no-types: skip the .d.ts (tsc), for tests that only run the JavaScript.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..', '..');
const sdk = path.join(root, 'sdk');
const args = process.argv.slice(2);
const packageDir = path.resolve(args.find((arg) => !arg.startsWith('--')) ?? sdk);
const dist = path.join(packageDir, 'dist');

/** Each entry, its source, platform and what its output may import at run time. */
const ENTRIES = [
  { name: 'index', platform: 'node', allowed: ['node:buffer', 'node:crypto'] },
  { name: 'web', platform: 'neutral', allowed: [] },
  { name: 'testing', platform: 'node', allowed: ['node:crypto'] },
  {
    name: 'cli',
    platform: 'node',
    formats: ['cjs'],
    banner: '#!/usr/bin/env node',
    allowed: [
      'node:buffer',
      'node:crypto',
      'node:fs',
      'node:http',
      'node:https',
      'node:path',
      'node:util',
    ],
  },
];

/** The web build's node:crypto: the core's synchronous sha256, nothing else. */
const webCrypto = {
  name: 'web-crypto',
  setup(build) {
    build.onResolve({ filter: /^(node:)?crypto$/ }, () => ({
      path: path.join(sdk, 'src', 'crypto-web.ts'),
    }));
  },
};

const bundle = async ({ name, platform, allowed, banner }, format) => {
  const outfile = path.join(dist, `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  const result = await esbuild.build({
    entryPoints: [path.join(sdk, 'src', `${name}.ts`)],
    outfile,
    bundle: true,
    platform,
    format,
    target: 'es2022',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
    ...(banner ? { banner: { js: banner } } : {}),
    plugins: platform === 'neutral' ? [webCrypto] : [],
    // a neutral build resolves no package.json "main" by default; nothing here needs one
    mainFields: ['module', 'main'],
  });
  const imports = Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external).map((i) => i.path),
  );
  const refused = [...new Set(imports)].filter((i) => !allowed.includes(i));
  if (refused.length > 0) {
    throw new Error(`${path.relative(root, outfile)} imports ${refused.join(', ')}`);
  }
};

const types = () => {
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      path.join(__dirname, 'tsconfig.types.json'),
      '--outDir',
      path.join(dist, 'types'),
    ],
    { stdio: 'inherit' },
  );
};

const build = async () => {
  fs.rmSync(dist, { recursive: true, force: true });
  for (const entry of ENTRIES) {
    for (const format of entry.formats ?? ['esm', 'cjs']) await bundle(entry, format);
  }
  fs.chmodSync(path.join(dist, 'cli.cjs'), 0o755);
  fs.copyFileSync(path.join(root, 'conformance', 'vectors.json'), path.join(dist, 'vectors.json'));
  if (!args.includes('--no-types')) types();
  if (packageDir !== sdk) {
    for (const file of ['package.json', 'README.md', 'LICENSE']) {
      fs.copyFileSync(path.join(sdk, file), path.join(packageDir, file));
    }
  }
  console.log(
    `${path.relative(root, dist) || dist}: ${ENTRIES.length - 1} entries, ESM and CommonJS, and the isao CLI`,
  );
};

build().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
