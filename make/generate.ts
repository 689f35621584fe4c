/**
 * `npm run make:build`: writes the Make app (make/app/) from the core, replacing what was there,
 * so a component or section the table no longer has does not linger. test/make/generated.test.ts
 * fails when the committed files differ from what this writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from './app';
import { appFiles } from './layout';

/**
 * The repository: the nearest folder above this file holding package-lock.json, whether this
 * runs from make/ (jest) or compiled from dist/make/ (dist/ has a package.json of its own).
 */
export const ROOT = ((): string => {
  let dir = path.dirname(__dirname);
  while (!fs.existsSync(path.join(dir, 'package-lock.json'))) dir = path.dirname(dir);
  return dir;
})();

/** Where the generated app lives, in the repository. */
export const APP_DIR = path.join(ROOT, 'make', 'app');

/** The app's files as the generator writes them. */
export const generatedFiles = (): Map<string, string> => appFiles(buildApp());

/** Every file under `dir`, path (with `/`) → content. */
export const filesIn = (dir: string): Map<string, string> => {
  const found = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(name);
      else found.set(name, fs.readFileSync(path.join(dir, name), 'utf8'));
    }
  };
  if (fs.existsSync(dir)) walk('');
  return found;
};

export const writeApp = (dir: string): number => {
  fs.rmSync(dir, { recursive: true, force: true });
  const files = generatedFiles();
  for (const [name, content] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return files.size;
};

// Stryker disable all: the command-line entry point, run only as `npm run make:…` in its own process, never in a test's (docs/mutation-testing.md)
if (require.main === module) {
  const count = writeApp(APP_DIR);
  console.log(
    `make:build wrote ${String(count)} files to ${path.relative(process.cwd(), APP_DIR) || '.'}`,
  );
}
// Stryker restore all
