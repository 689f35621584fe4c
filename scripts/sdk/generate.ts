/**
 * `npm run sdk:generate`: writes what @isao/webhooks derives from the core, formatted as the
 * repository formats it: sdk/src/events.generated.ts (types.ts), conformance/vectors.json
 * (vectors.ts) and the Python package's tables and typed events (python.ts), as written. `-- --check` writes nothing and fails when a committed file differs; the tests
 * check the same.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { prettierFormats, sources } from './sources';

const ROOT = join(__dirname, '..', '..', '..');

/** Each generated file with its content as prettier writes it, with the repository's settings. */
export const generated = async (): Promise<[path: string, content: string][]> =>
  Promise.all(
    sources().map(async ([path, source]): Promise<[string, string]> => {
      if (!prettierFormats(path)) return [path, source];
      const filepath = join(ROOT, path);
      const config = await resolveConfig(filepath);
      return [path, await format(source, { ...config, filepath })];
    }),
  );

const main = async (): Promise<void> => {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [path, content] of await generated()) {
    const file = join(ROOT, path);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    stale.push(path);
    if (!check) writeFileSync(file, content);
  }
  if (check && stale.length > 0) {
    console.error(`Not what the core gives: ${stale.join(', ')}. Run \`npm run sdk:generate\`.`);
    process.exitCode = 1;
  } else {
    console.log(stale.length > 0 ? `wrote ${stale.join(', ')}` : 'generated files are current');
  }
};

if (require.main === module) void main();
