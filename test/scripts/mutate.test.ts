/**
 * `npm run mutate` rewrites reports/stryker-incremental.json only when its results changed:
 * scripts/stryker/mutate.js compares canonical forms, which leave out what differs from run to
 * run and machine to machine although the results are the same.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonical,
  PARTS,
  type IncrementalReport,
  type ReportMutant,
} from '../../scripts/stryker/mutate';

const ROOT = join(__dirname, '..', '..');

const at = (line: number, column: number) => ({
  start: { line, column },
  end: { line, column: column + 4 },
});

const mutant = (id: string, line: number, extra: Partial<ReportMutant> = {}): ReportMutant => ({
  id,
  mutatorName: 'StringLiteral',
  replacement: '""',
  status: 'Killed',
  coveredBy: ['3', '1'],
  location: at(line, 2),
  ...extra,
});

/** A report as one machine wrote it: its folder, its sandbox in a stack trace, its order. */
const written = (projectRoot: string, order: 'asc' | 'desc', killedBy?: string[]) => {
  const sandbox = `${projectRoot}/.stryker-tmp/sandbox-${order === 'asc' ? 'a1B2' : 'Z9y8'}`;
  const mutants = [
    mutant('1', 1, killedBy ? { killedBy } : {}),
    mutant('2', 2, {
      status: 'Timeout',
      statusReason: `Expected 1\n    at Object.<anonymous> (${sandbox}/test/lib/api.test.ts:4:5)\n    at run (${projectRoot}/node_modules/jest-circus/build/run.js:1:1)`,
    }),
  ];
  const report: IncrementalReport = {
    schemaVersion: '2',
    projectRoot,
    files: {
      'src/lib/b.ts': { language: 'typescript', mutants: [] },
      'src/lib/a.ts': {
        language: 'typescript',
        mutants: order === 'asc' ? mutants : mutants.reverse(),
      },
    },
    testFiles: {},
  };
  return report;
};

test('runs with the same results on two machines give the same canonical report', () => {
  const one = canonical(written('/srv/build/isao', 'asc'));
  const other = canonical(written('/home/ci/isao', 'desc', []));
  expect(JSON.stringify(other)).toBe(JSON.stringify(one));
  expect(JSON.stringify(one)).not.toMatch(/\/srv\/build|\/home\/ci|stryker-tmp|\n\s+at /);
  expect(one.files['src/lib/a.ts']?.mutants[1]?.statusReason).toBe('Expected 1');
  expect(Object.keys(one.files)).toEqual(['src/lib/a.ts', 'src/lib/b.ts']);
  expect(one.files['src/lib/a.ts']?.mutants.map((m) => m.coveredBy)).toEqual([
    ['1', '3'],
    ['1', '3'],
  ]);
});

test('a changed result changes the canonical report', () => {
  const before = written('/srv/build/isao', 'asc');
  const after = written('/srv/build/isao', 'asc');
  const first = after.files['src/lib/a.ts']!.mutants[0]!;
  after.files['src/lib/a.ts']!.mutants[0] = { ...first, status: 'Survived' };
  expect(JSON.stringify(canonical(after))).not.toBe(JSON.stringify(canonical(before)));
});

test("each counted part's canonical report names its own tracked file", () => {
  const report = {
    ...written('/srv/build/isao', 'asc'),
    config: { incrementalFile: '/tmp/x.json' },
  };
  expect(PARTS.map((part) => part.report)).toEqual([
    'reports/stryker-incremental.json',
    'reports/stryker-sdk-incremental.json',
  ]);
  for (const part of PARTS) {
    expect(existsSync(join(ROOT, part.config))).toBe(true);
    expect(canonical(report, part.report).config).toEqual({ incrementalFile: part.report });
  }
  expect(canonical(report).config).toEqual({ incrementalFile: 'reports/stryker-incremental.json' });
});
