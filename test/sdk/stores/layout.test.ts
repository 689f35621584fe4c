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

  it('says so when redis-server and PostgreSQL are installed, and installs nothing', () => {
    expect(run({})).toEqual({
      status: 0,
      output: expect.stringMatching(
        /^servers: redis-server \(\S+redis-server\) and PostgreSQL \(\S+\/bin\) are installed\n$/,
      ),
    });
  });

  it('installs both with apt-get when one is missing, or says what to run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'isao-install-'));
    try {
      const log = join(dir, 'apt.log');
      // an apt-get that records its calls and, on install, puts the binaries where Debian does
      writeFileSync(
        join(dir, 'apt-get'),
        `#!/bin/sh
echo "$DEBIAN_FRONTEND apt-get $*" >> ${log}
if [ "$1" = install ]; then
  /bin/mkdir -p ${dir}/pg/15/bin
  for f in ${dir}/redis-server ${dir}/pg/15/bin/initdb ${dir}/pg/15/bin/pg_ctl; do
    printf '#!/bin/sh\\n' > $f; /bin/chmod +x $f
  done
fi
`,
      );
      chmodSync(join(dir, 'apt-get'), 0o755);
      const env = { PATH: dir, ISAO_SERVERS_PG_ROOT: join(dir, 'pg') };
      if (process.getuid?.() === 0) {
        // not root: a clear message, nothing run (a copy of the installer the other user can
        // read: the project may sit in a folder only root may enter, as Stryker's sandbox does)
        chmodSync(dir, 0o755);
        const copy = join(dir, 'install.js');
        copyFileSync(install, copy);
        expect(run(env, ['/usr/sbin/runuser', '-u', 'postgres', '--'], copy)).toEqual({
          status: 1,
          output:
            "servers: redis-server and postgresql not installed, and this user is not root: the store tests need them. Install Debian's packages as root: apt-get install redis-server postgresql\n",
        });
      }
      expect(run(env)).toEqual({
        status: process.getuid?.() === 0 ? 0 : 1,
        output: expect.stringContaining('servers: redis-server and postgresql not installed'),
      });
      if (process.getuid?.() === 0) {
        expect(readFileSync(log, 'utf8')).toBe(
          'noninteractive apt-get update\nnoninteractive apt-get install -y --no-install-recommends redis-server postgresql\n',
        );
        expect(run(env).output).toBe(
          `servers: redis-server (${dir}/redis-server) and PostgreSQL (${dir}/pg/15/bin) are installed\n`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
