/**
 * The package as n8n installs it: package.json's contract (name, licence, `n8n` section, no
 * runtime dependency), and a build (scripts/n8n/build.js, into a temporary folder) whose files
 * load, export the node and credential classes under the names n8n looks for, and import
 * nothing but n8n-workflow and node:crypto.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isRecord } from '../../core/inputs';

const root = path.join(__dirname, '..', '..');
const pkg: unknown = JSON.parse(fs.readFileSync(path.join(root, 'n8n', 'package.json'), 'utf8'));
/** Inside node_modules (ignored everywhere), so the build's `require('n8n-workflow')` resolves. */
const out = path.join(root, 'node_modules', '.cache', `n8n-nodes-isao-test-${String(process.pid)}`);

const section = isRecord(pkg) && isRecord(pkg.n8n) ? pkg.n8n : {};
const listed = (key: 'nodes' | 'credentials'): string[] => {
  const files = section[key];
  return Array.isArray(files) ? files.map(String) : [];
};

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'n8n', 'build.js'), out], {
    stdio: 'pipe',
  });
});

afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

/** A built file as package.json names it (`dist/…`), in the test's build. */
const built = (file: string): string => path.join(out, path.relative('dist', file));

/** The exports of a built file. */
const load = async (file: string): Promise<Record<string, unknown>> => {
  const loaded: unknown = await import(built(file));
  return isRecord(loaded) ? loaded : {};
};

/** The `name` of the description (node) or of the instance (credential) of an exported class. */
const typeName = (exported: unknown): unknown => {
  if (typeof exported !== 'function') return undefined;
  const instance: unknown = Reflect.construct(exported, []);
  if (!isRecord(instance)) return undefined;
  return isRecord(instance.description) ? instance.description.name : instance.name;
};

describe('package.json', () => {
  it('follows n8n community package conventions', () => {
    expect(pkg).toEqual(
      expect.objectContaining({
        name: 'n8n-nodes-isao',
        license: 'MIT',
        keywords: expect.arrayContaining(['n8n-community-node-package']),
        files: ['dist'],
        peerDependencies: { 'n8n-workflow': '*' },
      }),
    );
    expect(isRecord(pkg) && 'dependencies' in pkg).toBe(false);
    expect(section).toEqual({
      n8nNodesApiVersion: 1,
      strict: true,
      credentials: ['dist/credentials/IsaoApi.credentials.js'],
      nodes: ['dist/nodes/Isao/Isao.node.js', 'dist/nodes/IsaoTrigger/IsaoTrigger.node.js'],
    });
    expect(fs.readFileSync(path.join(root, 'n8n', 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });
});

describe('the build', () => {
  it('gives each node and the credential, loadable, under the names n8n looks for', async () => {
    const types = await Promise.all(
      [...listed('nodes'), ...listed('credentials')].map(async (file) => {
        const className = path.basename(file).split('.')[0] ?? '';
        return typeName((await load(file))[className]);
      }),
    );

    expect(types).toEqual(['isao', 'isaoTrigger', 'isaoApi']);
  });

  it('bundles the core: each file imports only n8n-workflow and node:crypto', () => {
    const imports = [...listed('nodes'), ...listed('credentials')].flatMap((file) =>
      [...fs.readFileSync(built(file), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
    );

    expect([...new Set(imports)].sort()).toEqual(['n8n-workflow', 'node:crypto']);
  });

  it("copies the icons and each node's codex", () => {
    const files = [
      'icons/isao.svg',
      'icons/isao.dark.svg',
      'nodes/Isao/Isao.node.json',
      'nodes/IsaoTrigger/IsaoTrigger.node.json',
    ];

    expect(files.filter((file) => !fs.existsSync(path.join(out, file)))).toEqual([]);
    const codex: unknown = JSON.parse(
      fs.readFileSync(path.join(out, 'nodes/IsaoTrigger/IsaoTrigger.node.json'), 'utf8'),
    );
    expect(codex).toEqual(expect.objectContaining({ node: 'n8n-nodes-isao.isaoTrigger' }));
  });
});
