/** The package built into a temporary folder by its own build script, for the tests that run it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers';

/** Builds @isao/webhooks into a new temporary folder (removed by the returned function). */
export const buildPackage = ({ types = false } = {}): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'isao-webhooks-'));
  execFileSync(
    process.execPath,
    [join(ROOT, 'scripts', 'sdk', 'build.js'), dir, ...(types ? [] : ['--no-types'])],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
