/**
 * The two zips `npm run zip` writes are reproducible and hold only what a reviewer needs: the
 * same commit gives the same bytes (whatever the clock or the files' times), and source.zip holds
 * no generated report and no path of the machine that built it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zip from '../../scripts/zip';

let work: string;

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-zips-test-'));
});

afterEach(() => {
  jest.useRealTimers();
  fs.rmSync(work, { recursive: true, force: true });
});

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Stages the app and builds build.zip at `target` (as `npm run zip` does). */
const buildAt = (target: string) => {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-stage-test-'));
  try {
    fs.mkdirSync(path.join(zip.root, 'dist'), { recursive: true }); // a clean clone has none yet
    zip.stageApp({ stage });
    return zip.buildZip(stage, target, 'pipe');
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
};

describe('source.zip', () => {
  test('is byte-identical when written again a day later', () => {
    const first = zip.writeSourceZip(path.join(work, 'first.zip'));
    jest.useFakeTimers({ now: Date.now() + 86_400_000 });
    const second = zip.writeSourceZip(path.join(work, 'second.zip'));
    expect(sha256(second)).toBe(sha256(first));
  });

  test('holds no generated report (reports/) and names no path of this machine', () => {
    expect(zip.sourceFiles().filter((f) => f.startsWith('reports/'))).toEqual([]);
    const file = zip.writeSourceZip(path.join(work, 'source.zip'));
    const entries = zip.checkSourceZip(file);
    // the project's .npmrc (loglevel only) is source
    expect(entries).toEqual(
      expect.arrayContaining(['src/index.ts', 'docs/releasing.md', '.npmrc']),
    );
    expect(fs.readFileSync(file).includes(zip.root)).toBe(false);
  });

  test('the check refuses a report, an .npmrc with credentials and a file naming the project folder', () => {
    const source = ['package.json', 'package-lock.json', '.zapierapprc', 'README.md', 'index.js'];
    const file = zip.writeReproducibleZip(path.join(work, 'bad.zip'), [
      ...[...source, 'src/index.ts', 'test/helpers.ts'].map((name) => ({
        name,
        data: Buffer.from('{}'),
        mode: 0o644,
      })),
      { name: 'reports/stryker-incremental.json', data: Buffer.from('{}'), mode: 0o644 },
      { name: '.npmrc', data: Buffer.from('//registry.example/:_authToken=abc\n'), mode: 0o644 },
      { name: 'docs/notes.md', data: Buffer.from(`built in ${zip.root}/src`), mode: 0o644 },
    ]);
    expect(() => zip.checkSourceZip(file)).toThrow(
      `${file}: must not hold .npmrc, reports/stryker-incremental.json; docs/notes.md name a path of this machine`,
    );
  });
});

describe('build.zip', () => {
  test('two builds of the same tree are byte-identical, with no path of the stage in the bundle', () => {
    const first = buildAt(path.join(work, 'first', 'build.zip'));
    const second = buildAt(path.join(work, 'second', 'build.zip'));
    expect(sha256(second)).toBe(sha256(first));
    const dir = zip.unpackZip(first, path.join(work, 'unpacked'));
    expect(fs.readFileSync(path.join(dir, 'dist', 'src', 'index.js'), 'utf8')).not.toContain(
      os.tmpdir(),
    );
  }, 120_000);
});
