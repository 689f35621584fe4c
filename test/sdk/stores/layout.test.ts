/**
 * The stores' layout is written down once for every language (conformance/stores.md) and the
 * Node code takes it from one file (sdk/src/store-layout.ts): the page must show exactly what
 * the code runs. And the servers' installer: it says when they are there, installs them with
 * apt-get when they are not (as root), and says what to run otherwise.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as layout from '../../../sdk/src/store-layout';
import { ROOT } from '../helpers';

const page = readFileSync(join(ROOT, 'conformance', 'stores.md'), 'utf8');
const fenced = (language: string, text: string) => `\`\`\`${language}\n${text}\n\`\`\``;

describe('conformance/stores.md', () => {
  it('shows each Redis script the store runs, and the key and values', () => {
    for (const script of [layout.REDIS_CLAIM, layout.REDIS_COMPLETE, layout.REDIS_RELEASE]) {
      expect(page).toContain(fenced('lua', script));
    }
    expect(page).toContain(`\`${layout.REDIS_PREFIX}X\``);
    expect(page).toContain(`\`${layout.REDIS_CLAIMED}<token>\` while claimed`);
    expect(page).toContain(`\`${layout.REDIS_DONE}\` once completed`);
  });

  it('shows the table and each statement the PostgreSQL stores run', () => {
    const table = layout.PG_TABLE;
    for (const sql of [
      layout.pgCreateTable(table),
      layout.pgClaim(table),
      layout.pgComplete(table),
      layout.pgRelease(table),
      layout.pgPrune(table),
      layout.PG_TRY_LOCK,
      layout.PG_END,
    ]) {
      expect(page).toContain(fenced('sql', sql));
    }
    expect(page).toContain(`**Table** \`${table}\` by default`);
  });
});

describe('scripts/servers/install.js', () => {
  const install = join(ROOT, 'scripts', 'servers', 'install.js');
  /**
   * Runs the installer (or a copy of it) with this environment, through `command` (e.g. runuser
   * as another user).
   */
  const run = (
    env: Record<string, string>,
    [command, ...before]: [string, ...string[]] = ['/usr/bin/env'],
    script = install,
  ) => {
    const done = spawnSync(command, [...before, process.execPath, script], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return { status: done.status, output: `${done.stdout}${done.stderr}` };
  };

  it('says so when the servers and Python’s packages are installed, and installs nothing', () => {
    expect(run({})).toEqual({
      status: 0,
      output: expect.stringMatching(
        /^servers: redis-server \(\S+redis-server\) and PostgreSQL \(\S+\/bin\) are installed\nservers: \/usr\/bin\/python3 imports pytest, redis, psycopg2, flask, fastapi, django, uvicorn, httpx, build, mypy\n$/,
      ),
    });
  });

  /**
   * A folder with an apt-get that records its calls and, on install, puts the servers where
   * Debian does and makes the fake python3 (ISAO_SERVERS_PYTHON) find every module; before
   * that, python3 says `missing` are missing. `servers`: the servers are there from the start.
   */
  const fakeDebian = (missing: string, servers = false) => {
    const dir = mkdtempSync(join(tmpdir(), 'isao-install-'));
    // the postgres user (not root) runs the fake python3 too
    chmodSync(dir, 0o755);
    const log = join(dir, 'apt.log');
    const put = `/bin/mkdir -p ${dir}/pg/15/bin
  for f in ${dir}/redis-server ${dir}/pg/15/bin/initdb ${dir}/pg/15/bin/pg_ctl; do
    printf '#!/bin/sh\\n' > $f; /bin/chmod +x $f
  done`;
    writeFileSync(
      join(dir, 'apt-get'),
      `#!/bin/sh
echo "$DEBIAN_FRONTEND apt-get $*" >> ${log}
if [ "$1" = install ]; then
  ${put}
  : > ${dir}/python-ok
fi
`,
    );
    writeFileSync(
      join(dir, 'python3'),
      `#!/bin/sh\n[ -f ${dir}/python-ok ] || echo "${missing}"\n`,
    );
    if (servers) writeFileSync(join(dir, 'setup'), `#!/bin/sh\n${put}\n`);
    for (const file of ['apt-get', 'python3', ...(servers ? ['setup'] : [])]) {
      chmodSync(join(dir, file), 0o755);
    }
    if (servers) spawnSync(join(dir, 'setup'));
    const env = {
      PATH: dir,
      ISAO_SERVERS_PG_ROOT: join(dir, 'pg'),
      ISAO_SERVERS_PYTHON: join(dir, 'python3'),
    };
    return {
      dir,
      env,
      apt: () => readFileSync(log, 'utf8'),
      remove: () => {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  const root = process.getuid?.() === 0;

  it('installs both servers with apt-get when one is missing, or says what to run', () => {
    const { dir, env, apt, remove } = fakeDebian('');
    try {
      if (root) {
        // not root: a clear message, nothing run (a copy of the installer the other user can
        // read: the project may sit in a folder only root may enter, as Stryker's sandbox does)
        const copy = join(dir, 'install.js');
        copyFileSync(install, copy);
        expect(run(env, ['/usr/sbin/runuser', '-u', 'postgres', '--'], copy)).toEqual({
          status: 1,
          output:
            "servers: redis-server and postgresql not installed, and this user is not root: the store and Python tests need them. Install Debian's packages as root: apt-get install redis-server postgresql\n",
        });
      }
      expect(run(env)).toEqual({
        status: root ? 0 : 1,
        output: expect.stringContaining('servers: redis-server and postgresql not installed'),
      });
      if (root) {
        expect(apt()).toBe(
          'noninteractive apt-get update\nnoninteractive apt-get install -y --no-install-recommends redis-server postgresql\n',
        );
        expect(run(env).output).toBe(
          `servers: redis-server (${dir}/redis-server) and PostgreSQL (${dir}/pg/15/bin) are installed\nservers: ${dir}/python3 imports pytest, redis, psycopg2, flask, fastapi, django, uvicorn, httpx, build, mypy\n`,
        );
      }
    } finally {
      remove();
    }
  });

  it('installs the python3-* packages Python cannot import, only those', () => {
    const { env, apt, remove } = fakeDebian('pytest psycopg2 mypy', true);
    try {
      const first = run(env);
      expect(first.output).toContain(
        root
          ? "servers: python3-pytest, python3-psycopg2 and python3-mypy not installed: installing Debian's python3-pytest, python3-psycopg2 and python3-mypy\n"
          : 'apt-get install python3-pytest python3-psycopg2 python3-mypy',
      );
      if (root) {
        expect(first.status).toBe(0);
        expect(apt()).toBe(
          'noninteractive apt-get update\nnoninteractive apt-get install -y --no-install-recommends python3-pytest python3-psycopg2 python3-mypy\n',
        );
      }
    } finally {
      remove();
    }
  });

  it('installs python3 and every package when Debian’s python3 is not there', () => {
    const { env, remove } = fakeDebian('', true);
    try {
      expect(
        run({ ...env, ISAO_SERVERS_PYTHON: '/nowhere/python3' }, ['/usr/bin/env']).output,
      ).toContain(
        'python3, python3-pytest, python3-redis, python3-psycopg2, python3-flask, python3-fastapi, python3-django, python3-uvicorn, python3-httpx, python3-build and python3-mypy not installed',
      );
    } finally {
      remove();
    }
  });
});
