/** The package built into a temporary folder by its own build script, for the tests that run it. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/**
 * A clean project beside a fresh build, as a user's: its node_modules holds the package, and
 * links to these of the repository's own packages (the frameworks it is used with).
 */
export const packageProject = (
  modules: readonly string[] = [],
): { dir: string; remove: () => void } => {
  const built = buildPackage();
  const dir = join(built.dir, 'project');
  const links: [string, string][] = [
    ['@isao/webhooks', built.dir],
    ...modules.map((module): [string, string] => [module, join(ROOT, 'node_modules', module)]),
  ];
  for (const [name, target] of links) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
  return { dir, remove: built.remove };
};
