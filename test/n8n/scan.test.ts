/**
 * The package as npm would publish it passes n8n's own scanner for community packages
 * (`@n8n/scan-community-package`): its CLI fetches a package from the registry, but its exported
 * `analyzePackage` lints an unpacked tarball offline, with the rules n8n checks before it lists a
 * package as verified (imports, globals, the package.json section). Built here, then packed with
 * `npm pack` and unpacked, so the scan sees exactly the published files, with the scanner's
 * default patterns: every .js, .ts and .json file in them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runLine, withTempDir } from '../scripts/run-script';

const SCANNER = pathToFileURL(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs'));

interface Analysis {
  passed: boolean;
  message?: string;
  details?: string;
}

/**
 * `analyzePackage(dir)` with its default patterns (every .js, .ts and .json file), in a child
 * node: the scanner is an ES module, which jest's module system cannot load.
 */
const analyze = (dir: string): Analysis => {
  const script = `const { analyzePackage } = await import(${JSON.stringify(SCANNER.href)});
const { error, ...result } = await analyzePackage(${JSON.stringify(dir)});
process.stdout.write(JSON.stringify(result));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(run.stdout) as Analysis;
};

/**
 * The package as `npm pack` makes it, unpacked in `dir`: n8n/ copied without its dist/, built
 * there (scripts/n8n/build.js into the copy: n8n/dist, which `npm run n8n:build` and the
 * end-to-end run write, is never touched), packed and unpacked. Returns the unpacked folder.
 */
const packed = (dir: string): string => {
  const copy = path.join(dir, 'n8n');
  fs.cpSync(path.join(ROOT, 'n8n'), copy, {
    recursive: true,
    filter: (source) => path.relative(path.join(ROOT, 'n8n'), source) !== 'dist',
  });
  const build = runLine(`"${process.execPath}" scripts/n8n/build.js "${path.join(copy, 'dist')}"`);
  expect(build.status).toBe(0);
  const pack = runLine(`cd "${copy}" && npm pack --pack-destination "${dir}" --loglevel=error`);
  expect(pack.status).toBe(0);
  const tarball = path.join(dir, pack.output.trim().split('\n').pop() ?? '');
  expect(runLine(`tar -xzf "${tarball}" -C "${dir}"`).status).toBe(0);
  return path.join(dir, 'package');
};

test('the packed tarball passes analyzePackage; the same files with a forbidden global do not', () => {
  withTempDir((dir) => {
    const pkg = packed(dir);
    expect(analyze(pkg)).toEqual({ passed: true });

    // the scanner does lint the package's files: one reading the environment fails it
    fs.writeFileSync(
      path.join(pkg, 'dist', 'nodes', 'Isao', 'Leak.js'),
      "'use strict';\nexports.key = process.env.ISAO_API_KEY;\n",
    );
    const failed = analyze(pkg);
    expect(failed).toMatchObject({ passed: false, message: 'ESLint violations found' });
    expect(failed.details).toMatch(
      /Leak\.js\n\s+2:15\s+error\s+Use of restricted global 'process' is not allowed/,
    );
  });
}, 240_000);
