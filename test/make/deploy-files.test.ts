/**
 * The deploy's two inputs read back as they are on disk: `makecomapp.json` (make/manifest.ts),
 * each part a deploy needs refused with the path of what is wrong before any call, and the map of
 * a Make account (make/deploy-state.ts), where what is not a name or a digest is left out.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadState } from '../../make/deploy-state';
import { readManifest } from '../../make/manifest';

const GENERAL = {
  base: 'general/base.iml.json',
  groups: 'modules/groups.json',
  readme: 'README.md',
};
const HOOK = { label: 'Deal won', codeFiles: { attach: 'webhooks/w/w.attach.iml.json' } };

const manifestWith = (changes: Record<string, unknown>): string =>
  JSON.stringify({
    generalCodeFiles: GENERAL,
    components: { webhook: { dealWon: HOOK } },
    ...changes,
  });

test('a manifest of one webhook: its files, label and kind', () => {
  expect(readManifest(manifestWith({}))).toEqual({
    general: GENERAL,
    components: [{ kind: 'webhook', id: 'dealWon', label: 'Deal won', codeFiles: HOOK.codeFiles }],
  });
});

test.each<[string, Record<string, unknown>, string]>([
  ['no components', { components: undefined }, 'generalCodeFiles and components are required'],
  ['no general files', { generalCodeFiles: 'x' }, 'generalCodeFiles and components are required'],
  [
    'a blank base',
    { generalCodeFiles: { ...GENERAL, base: '' } },
    'generalCodeFiles.base must be a non-empty text',
  ],
  [
    'no groups',
    { generalCodeFiles: { ...GENERAL, groups: 3 } },
    'generalCodeFiles.groups must be a non-empty text',
  ],
  [
    'no readme',
    { generalCodeFiles: { ...GENERAL, readme: undefined } },
    'generalCodeFiles.readme must be a non-empty text',
  ],
  [
    'two functions',
    { components: { function: { a: {}, b: {} } } },
    'components.function holds a, b, and this deploy does not deploy a function',
  ],
  [
    'a webhook without files',
    { components: { webhook: { w: { label: 'W' } } } },
    'components.webhook.w has no codeFiles',
  ],
  [
    'a webhook without a label',
    { components: { webhook: { w: { codeFiles: {} } } } },
    'components.webhook.w.label must be a non-empty text',
  ],
  [
    'a file that is no text',
    { components: { webhook: { w: { label: 'W', codeFiles: { attach: 7 } } } } },
    'components.webhook.w.codeFiles.attach must be a non-empty text',
  ],
  [
    'a code of another kind',
    { components: { webhook: { w: { label: 'W', codeFiles: { samples: 'x' } } } } },
    'components.webhook.w.codeFiles.samples is not a webhook code',
  ],
  [
    'a blank webhook type',
    { components: { webhook: { w: { ...HOOK, webhookType: '' } } } },
    'components.webhook.w.webhookType must be a non-empty text',
  ],
])('a manifest with %s is refused, naming it', (_case, changes, message) => {
  expect(() => readManifest(manifestWith(changes))).toThrow(`makecomapp.json: ${message}`);
});

test('a code file set to null is left out', () => {
  const hook = { ...HOOK, codeFiles: { ...HOOK.codeFiles, detach: null } };
  expect(readManifest(manifestWith({ components: { webhook: { w: hook } } })).components).toEqual([
    { kind: 'webhook', id: 'w', label: 'Deal won', codeFiles: HOOK.codeFiles },
  ]);
});

describe('the map of a Make account', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'make-map-'));
  const mapOf = (content: string) => {
    const file = path.join(dir, `${String(Math.random())}.json`);
    fs.writeFileSync(file, content);
    return file;
  };
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a map that is not an object is refused, naming the file', () => {
    const file = mapOf('[1]');
    expect(() => loadState(file)).toThrow(`${file} is not a deployment map`);
  });

  test('names and digests that are not texts, and an app without its name or version, are left out', () => {
    const map = {
      app: { name: 'isao', version: '1' },
      names: { connection: { isao: 'isao-1', x: 2 }, webhook: 'w', module: { m: 'm' } },
      digests: { 'app/base': 'abc', 'app/groups': null },
    };
    expect(loadState(mapOf(JSON.stringify(map)))).toEqual({
      names: { connection: { isao: 'isao-1' }, webhook: {}, module: { m: 'm' } },
      digests: { 'app/base': 'abc' },
    });
    for (const app of [{ version: 1 }, { name: 'isao' }, null])
      expect(loadState(mapOf(JSON.stringify({ ...map, app }))).app).toBeUndefined();
    expect(
      loadState(mapOf(JSON.stringify({ ...map, app: { name: 'isao', version: 2 } }))).app,
    ).toEqual({
      name: 'isao',
      version: 2,
    });
  });
});
