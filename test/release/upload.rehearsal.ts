/**
 * The release path, rehearsed offline (`npm run release:rehearse`, after `npm run zip`): the real
 * `zapier-platform upload` sends build/build.zip and build/source.zip to a stand-in of Zapier's
 * platform API on 127.0.0.1, and this checks what arrived. The CLI is pointed there with
 * ZAPIER_BASE_ENDPOINT and a deploy key in ZAPIER_DEPLOY_KEY; the app id comes from a temporary
 * .zapierapprc (ZAPIER_CURRENT_APP_FILE), so the working tree is left as it was.
 *
 * What the CLI does (zapier-platform-cli 19.1.0, src/utils/api.js): GET
 * /api/platform/cli/apps/:id (the app, with title, description, app_category, intention and
 * role, or the upload stops), then PUT /api/platform/cli/apps/:id/versions/:version with JSON
 * `{zip_file, source_zip_file, skip_validation}`, both zips base64, and an X-Deploy-Key header.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zip from '../../scripts/zip';
import App from '../../src';

const ROOT = zip.root;
const BUILD = path.join(ROOT, 'build', 'build.zip');
const SOURCE = path.join(ROOT, 'build', 'source.zip');
const CLI = path.join(ROOT, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
const APP_ID = 4242;
const DEPLOY_KEY = 'rehearsal-deploy-key-0000';

interface Received {
  method: string;
  url: string;
  deployKey: string | undefined;
  body: string;
}

interface UploadBody {
  zip_file: string;
  source_zip_file: string;
  skip_validation: boolean;
}

/** A stand-in of Zapier's platform API: the two calls `upload` makes, for one app. */
const startPlatform = async (): Promise<{
  base: string;
  received: Received[];
  close: () => Promise<void>;
}> => {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '';
      const deployKey = req.headers['x-deploy-key'];
      received.push({
        method: req.method ?? '',
        url,
        deployKey: typeof deployKey === 'string' ? deployKey : undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const app = `/api/platform/cli/apps/${String(APP_ID)}`;
      if (deployKey !== DEPLOY_KEY) {
        reply(401, { errors: ['Invalid deploy key'] });
      } else if (req.method === 'GET' && url === app) {
        reply(200, {
          id: APP_ID,
          key: `App${String(APP_ID)}`,
          title: 'ISAO',
          description: 'ISAO CRM and scheduling (release rehearsal).',
          app_category: 'crm',
          intention: 'private',
          role: 'employee',
          status: 'private',
        });
      } else if (req.method === 'PUT' && url.startsWith(`${app}/versions/`)) {
        reply(200, { id: 1, version: url.slice(`${app}/versions/`.length) });
      } else {
        reply(404, { errors: [`${req.method ?? ''} ${url} is not part of the rehearsal`] });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${String(port)}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
};

/** Runs `zapier-platform upload` in the project, pointed at the stand-in. */
const upload = (
  base: string,
  deployKey: string,
  appRc: string,
): Promise<{ code: number; output: string }> => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ZAPIER_BASE_ENDPOINT: base,
    ZAPIER_DEPLOY_KEY: deployKey,
    ZAPIER_CURRENT_APP_FILE: appRc,
    // no ~/.zapierrc is read or written, and nothing is sent anywhere else
    ZAPIER_AUTH_LOCATION: path.join(path.dirname(appRc), '.zapierrc'),
    DISABLE_ZAPIER_ANALYTICS: '1',
    NO_UPDATE_NOTIFIER: '1',
  };
  delete env.NODE_ENV; // jest's "test" would make the CLI act as if under its own tests
  delete env.ZAPIER_ENDPOINT;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'upload'], { cwd: ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
};

/** What must not change: git's view of the tree, and the files the rehearsal reads. */
const treeState = (): string => {
  const hash = (file: string) =>
    fs.existsSync(file) ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : '-';
  let status = '(not a git checkout)';
  try {
    status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    // no git: the hashes below still cover the files the CLI reads
  }
  const files = ['.zapierapprc', 'package.json', 'build/build.zip', 'build/source.zip'];
  return [status, ...files.map((f) => `${f} ${hash(path.join(ROOT, f))}`)].join('\n');
};

let platform: Awaited<ReturnType<typeof startPlatform>>;
let work: string;
let appRc: string;
let before: string;

beforeAll(async () => {
  for (const file of [BUILD, SOURCE]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${path.relative(ROOT, file)} is missing: run \`npm run zip\` first`);
    }
  }
  before = treeState();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-release-'));
  // the project's .zapierapprc (build settings) with an app id, as `zapier-platform register`
  // would write it
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, '.zapierapprc'), 'utf8')) as object;
  appRc = path.join(work, '.zapierapprc');
  fs.writeFileSync(appRc, JSON.stringify({ ...ours, id: APP_ID, key: `App${String(APP_ID)}` }));
  platform = await startPlatform();
});

afterAll(async () => {
  await platform.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('npm run zip, then zapier-platform upload', () => {
  let result: { code: number; output: string };
  let put: Received | undefined;
  let body: UploadBody;

  beforeAll(async () => {
    result = await upload(platform.base, DEPLOY_KEY, appRc);
    put = platform.received.find((r) => r.method === 'PUT');
    body = JSON.parse(put?.body ?? '{}') as UploadBody;
  }, 60_000);

  test('the CLI uploads and says so', () => {
    expect(result.output).toContain('Upload complete!');
    expect(result.code).toBe(0);
  });

  test('it made exactly the two calls, both with the deploy key', () => {
    const version = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(platform.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /api/platform/cli/apps/${String(APP_ID)}`,
      `PUT /api/platform/cli/apps/${String(APP_ID)}/versions/${version}`,
    ]);
    expect(platform.received.map((r) => r.deployKey)).toEqual([DEPLOY_KEY, DEPLOY_KEY]);
    expect(body.skip_validation).toBe(false);
  });

  /** A zip the stand-in received (base64): byte-identical to the built one, saved as `name`. */
  const arrivedAs = (base64: string, built: string, name: string): string => {
    const arrived = Buffer.from(base64, 'base64');
    expect(arrived.equals(fs.readFileSync(built))).toBe(true);
    const file = path.join(work, name);
    fs.writeFileSync(file, arrived);
    return file;
  };

  test("build.zip arrived as built, loads in its own zapierwrapper.js and is this app's", () => {
    const file = arrivedAs(body.zip_file, BUILD, 'build.zip');
    // checkZip throws unless version, platform version, triggers and creates are the app's and
    // node_modules is exactly zapier-platform-core's production tree
    const loaded = zip.checkZip(file);
    expect(loaded.version).toBe(App.version);
    expect(loaded.platformVersion).toBe('19.1.0');
    expect(loaded.triggers).toEqual(Object.keys(App.triggers).sort());
    expect(loaded.triggers).toEqual(
      expect.arrayContaining(['new_contact', 'deal_won', 'appointment_created']),
    );
    expect(loaded.creates).toEqual(['create_contact']);
    expect(loaded.packages).toEqual(zip.productionTree());
    expect(loaded.packages.some((p) => /node_modules\/(encoding|iconv-lite)@/.test(p))).toBe(false);
  });

  test('source.zip holds the source and nothing secret, built, generated or installed', () => {
    const file = arrivedAs(body.source_zip_file, SOURCE, 'source.zip');
    const entries = zip.checkSourceZip(file);
    expect(entries).toEqual(
      expect.arrayContaining([
        'package.json',
        'package-lock.json',
        '.zapierapprc',
        'README.md',
        'index.js',
        'src/index.ts',
        'test/helpers.ts',
      ]),
    );
    const unwanted = entries.filter((e) =>
      /^(node_modules|build|dist|reports|\.git|\.stage|bench\/\.work)\/|(^|\/)\.env|\.zip$/.test(e),
    );
    expect(unwanted).toEqual([]);
    expect(entries).toEqual(zip.sourceFiles());
    expect(fs.readFileSync(file).includes(DEPLOY_KEY)).toBe(false);
  });

  test('the working tree is as it was', () => {
    expect(treeState()).toBe(before);
  });
});

describe('the stand-in is a real check', () => {
  test('a wrong deploy key is refused, and the CLI stops before uploading', async () => {
    const calls = platform.received.length;
    const { code, output } = await upload(platform.base, 'not-the-key', appRc);
    expect(code).not.toBe(0);
    expect(output).toContain('credentials are present, but invalid');
    expect(platform.received.slice(calls).map((r) => r.method)).toEqual(['GET']);
  }, 60_000);
});
