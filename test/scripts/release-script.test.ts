/**
 * `npm run release:rehearse` before `npm run zip`: one line saying what to run, and a non-zero
 * exit, instead of every rehearsal test failing on the missing zips.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runLine, withTempDir } from './run-script';

const SETUP = path.join(ROOT, 'test', 'release', 'global-setup.js');

test('the release config checks for the zips before any test', () => {
  const config = runLine(
    `node -e "process.stdout.write(require('./jest.release.config.js').globalSetup)"`,
  );
  expect(config.output).toBe('<rootDir>/test/release/global-setup.js');
});

/** Runs the rehearsal's global setup in a child process (it exits), on a project folder `dir`. */
const setupIn = (dir: string) =>
  runLine(`node -e 'require(${JSON.stringify(SETUP)})({ rootDir: ${JSON.stringify(dir)} })'`);

test('without the zips it prints one line naming `npm run zip` and exits 1', () => {
  const run = withTempDir(setupIn);
  expect(run.output).toBe(
    'build/build.zip and build/source.zip missing: run `npm run zip` first.\n',
  );
  expect(run.status).toBe(1);
});

test('with the zips it lets the rehearsal run', () => {
  const run = withTempDir((dir) => {
    fs.mkdirSync(path.join(dir, 'build'));
    for (const name of ['build.zip', 'source.zip'])
      fs.writeFileSync(path.join(dir, 'build', name), '');
    return setupIn(dir);
  });
  expect(run).toEqual({ status: 0, output: '' });
});
