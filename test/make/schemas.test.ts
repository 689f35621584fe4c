/**
 * Every file of the generated Make app passes Make's own schema for its kind
 * (`../shared/make-schemas/`, MIT, from Make's VS Code extension): what the extension would flag
 * before upload, Make would refuse.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { APP_DIR, filesIn, ROOT } from '../../make/generate';
import { loadJudge, schemaFor, schemasDir } from '../../make/schemas';

const judge = loadJudge(schemasDir(ROOT));
const files = [...filesIn(APP_DIR)].filter(([name]) => name !== 'README.md');

test('every generated file but the readme has a schema of Make to pass', () => {
  expect(files.filter(([name]) => schemaFor(name) === undefined).map(([name]) => name)).toEqual([]);
  expect(files.length).toBeGreaterThan(80);
  expect(schemaFor('README.md')).toBeUndefined();
});

test.each(files)('%s passes Make’s schema', (name, content) => {
  const schema = schemaFor(name);
  expect({ schema, problems: schema && judge(schema, JSON.parse(content)) }).toEqual({
    schema,
    problems: [],
  });
});

describe('the judge is not vacuous', () => {
  test('a parameter of an unknown type is refused by parameters.json', () => {
    expect(judge('parameters.json', [{ name: 'x', type: 'no-such-type' }])).not.toEqual([]);
  });
  test('a manifest without its components is refused by makecomapp.schema.json', () => {
    expect(judge('makecomapp.schema.json', { fileVersion: 1 })).not.toEqual([]);
  });
  test('each problem says where (the value itself is /) and what, naming a property too many', () => {
    expect(judge('makecomapp.schema.json', { fileVersion: 1 })).toEqual(
      ['components', 'generalCodeFiles', 'origins'].map((key) => ({
        at: '/',
        message: `must have required property '${key}'`,
      })),
    );
    expect(judge('parameters.json', [{ name: 'x', type: 'text', nonsense: 1 }])).toEqual([
      { at: '/0', message: 'must NOT have additional properties (nonsense)' },
    ]);
  });
  test('a schema missing from the folder is named', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-make-schemas-'));
    try {
      fs.cpSync(schemasDir(ROOT), copy, { recursive: true });
      fs.rmSync(path.join(copy, 'imljson', 'groups.json'));
      const partial = loadJudge(copy);
      expect(partial('parameters.json', [])).toEqual([]);
      // every problem, not the first only
      expect(partial('makecomapp.schema.json', { fileVersion: 1 })).toHaveLength(3);
      expect(() => partial('groups.json', [])).toThrow(
        `Make's schema groups.json is not in ${copy}`,
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
  test('a missing schema folder fails loudly', () => {
    expect(() => loadJudge('/nonexistent')).toThrow(/ENOENT/);
  });
});

describe('where the schemas are found', () => {
  test('beside the repository, as CI lays it out, or beside a folder above it', () => {
    const found = schemasDir(ROOT);
    expect(fs.existsSync(path.join(found, 'imljson', 'parameters.json'))).toBe(true);
    expect(path.relative(path.dirname(path.dirname(found)), ROOT)).not.toMatch(/^\.\./);
  });
  test('beside a folder above a copy of the repository inside it (Stryker’s sandbox)', () => {
    expect(schemasDir(path.join(ROOT, '.stryker-tmp', 'sandbox-x'))).toBe(schemasDir(ROOT));
  });
  test('nowhere: the last place looked, which loadJudge then names', () => {
    expect(schemasDir('/nonexistent/repo')).toBe('/shared/make-schemas');
    expect(() => loadJudge(schemasDir('/nonexistent/repo'))).toThrow('/shared/make-schemas');
  });
});
