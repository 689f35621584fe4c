// What build.zip carries besides our code: zapier-platform-core's production tree, exactly
// (scripts/zip.js stages it; `npm run zip` and the release rehearsal check the zip itself).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zip from '../../scripts/zip';

const name = (entry: string) => {
  const at = entry.slice(0, entry.lastIndexOf('@'));
  return at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);
};

interface Manifest {
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * The same tree computed another way: from the installed packages' own package.json files and
 * node's lookup through node_modules folders on disk (not from package-lock.json).
 */
const treeOnDisk = (): string[] => {
  const found = new Map<string, string>();
  const locate = (fromDir: string, dep: string): string | undefined => {
    for (let dir = fromDir; dir.startsWith(zip.root); dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', dep);
      if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
      if (dir === zip.root) break;
    }
    return undefined;
  };
  const visit = (dir: string) => {
    const rel = path.relative(zip.root, dir).split(path.sep).join('/');
    if (found.has(rel)) return;
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
    found.set(rel, pkg.version.replace(/^v/, ''));
    const required = [
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}).filter(
        (dep) => pkg.peerDependenciesMeta?.[dep]?.optional !== true,
      ),
    ];
    for (const dep of required) {
      const at = locate(dir, dep);
      if (!at) throw new Error(`${rel} needs ${dep}, which is not installed`);
      visit(at);
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      const at = locate(dir, dep);
      if (at) visit(at);
    }
  };
  const app = JSON.parse(fs.readFileSync(path.join(zip.root, 'package.json'), 'utf8')) as Manifest;
  for (const dep of Object.keys(app.dependencies ?? {})) {
    visit(path.join(zip.root, 'node_modules', dep));
  }
  return [...found].map(([at, version]) => `${at}@${version}`).sort();
};

describe("the bundle's node_modules is zapier-platform-core's production tree", () => {
  const tree = zip.productionTree();

  test('core and what it needs at run time; nothing that only the dev tooling brings', () => {
    const names = tree.map(name);
    expect(names).toEqual(expect.arrayContaining(['zapier-platform-core', 'node-fetch']));
    // node-fetch's optional peer, installed here only because dev tools satisfy it
    for (const devOnly of ['encoding', 'iconv-lite', 'safer-buffer']) {
      expect(names).not.toContain(devOnly);
    }
    for (const tool of ['zapier-platform-cli', 'jest', 'typescript', 'adm-zip', 'node']) {
      expect(names).not.toContain(tool);
    }
    expect(new Set(tree).size).toBe(tree.length);
  });

  test('the lockfile agrees: none of it is a dev-only package', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(zip.root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = tree.filter(
      (entry) => lock.packages[entry.slice(0, entry.lastIndexOf('@'))]?.dev,
    );
    expect(devOnly).toEqual([]);
  });

  test('the installed packages, followed on disk, give the same tree', () => {
    expect(treeOnDisk()).toEqual(tree);
  });

  test('the stage zapier-platform build zips holds exactly that tree', () => {
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-stage-test-'));
    try {
      fs.mkdirSync(path.join(zip.root, 'dist'), { recursive: true }); // a clean clone has none yet
      zip.stageApp({ stage });
      expect(zip.installedTree(stage)).toEqual(tree);
      expect(fs.existsSync(path.join(stage, 'node_modules', 'encoding'))).toBe(false);
    } finally {
      fs.rmSync(stage, { recursive: true, force: true });
    }
  });

  test('follows dependencies, optional ones when installed and required peers; not optional peers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-lock-'));
    const lockFile = path.join(dir, 'package-lock.json');
    const packages = {
      '': { dependencies: { app: '1' }, devDependencies: { tool: '1' } },
      'node_modules/app': {
        version: '1.0.0',
        dependencies: { lib: '^2' },
        optionalDependencies: { native: '1', absent: '1' },
        peerDependencies: { needed: '1', extra: '1' },
        peerDependenciesMeta: { extra: { optional: true } },
      },
      'node_modules/app/node_modules/lib': { version: '2.0.0', dependencies: { util: '1' } },
      'node_modules/lib': { version: '1.0.0', dev: true },
      'node_modules/util': { version: '1.0.0' },
      'node_modules/native': { version: '1.0.0', optional: true },
      'node_modules/needed': { version: '1.0.0' },
      'node_modules/extra': { version: '1.0.0', dependencies: { util: '1' } },
      'node_modules/tool': { version: '1.0.0', dev: true, dependencies: { extra: '1' } },
    };
    try {
      fs.writeFileSync(lockFile, JSON.stringify({ lockfileVersion: 3, packages }));
      expect(zip.productionTree(lockFile)).toEqual([
        'node_modules/app/node_modules/lib@2.0.0',
        'node_modules/app@1.0.0',
        'node_modules/native@1.0.0',
        'node_modules/needed@1.0.0',
        'node_modules/util@1.0.0',
      ]);
      const broken = { ...packages, 'node_modules/needed': undefined };
      fs.writeFileSync(lockFile, JSON.stringify({ lockfileVersion: 3, packages: broken }));
      expect(() => zip.productionTree(lockFile)).toThrow(
        'needed (needed by node_modules/app) is not in package-lock.json',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
