/** Statistics, and the lines and tables the bench prints and writes to bench/RESULTS.md. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';

export const log = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

export interface Summary {
  median: number;
  min: number;
  p90: number;
  n: number;
}

/** Median, minimum and 90th percentile (nearest rank). */
export const summarise = (values: readonly number[]): Summary => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? NaN)
      : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { median, min: sorted[0] ?? NaN, p90: at(0.9), n: sorted.length };
};

/**
 * The list started `round` places further along (wrapping round): contenders measured in this
 * order each round take turns at going first, so none always runs on a warmer or busier machine.
 */
export const rotated = <T>(list: readonly T[], round: number): T[] => {
  const at = round % list.length;
  return [...list.slice(at), ...list.slice(0, at)];
};

export const fixed = (value: number, digits = 1): string => value.toFixed(digits);
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
export const verdict = (ok: boolean): string => (ok ? 'pass' : 'MISS');
export const kB = (bytes: number) => `${fixed(bytes / 1000)} kB`;

/** A markdown table (it reads as well in a terminal). */
export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/**
 * Writes the generated block into the results file, keeping whatever is written around it
 * (the analysis of the numbers lives outside the markers), formatted as `npm run lint` wants.
 */
export const writeResults = async (
  file: string,
  generated: string,
  /** Where to take the text around the markers from, when not from `file` itself. */
  base: string = file,
): Promise<void> => {
  const block = `${START}\n${generated.trim()}\n${END}`;
  const current = fs.existsSync(base) ? fs.readFileSync(base, 'utf8') : '';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${block}${current.slice(end + END.length)}`
      : `# Benchmarks\n\n${block}\n${current}`;
  const options = (await prettier.resolveConfig(base)) ?? {};
  fs.writeFileSync(file, await prettier.format(next, { ...options, filepath: file }));
};

/**
 * A bench's last step: prints the generated block, writes it into `file` (the text around the
 * markers taken from `tracked`) and sets the exit code to 1 when targets were missed.
 */
export const publish = async (
  { file, tracked, root }: { file: string; tracked: string; root: string },
  generated: string,
  missed: number,
): Promise<void> => {
  log(generated);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await writeResults(file, generated, tracked);
  log(`written to ${path.relative(root, file)}`);
  if (missed > 0) {
    log(`${String(missed)} target(s) missed`);
    process.exitCode = 1;
  }
};

/** Runs a bench: what makes it fail is printed, and the exit code set to 1. */
export const runBench = (main: () => Promise<void>): void => {
  main().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  });
};

/** What differs between two package lists (name@version each). */
export const packageDiff = (ours: readonly string[], bare: readonly string[]): string => {
  const onlyOurs = ours.filter((p) => !bare.includes(p));
  const onlyBare = bare.filter((p) => !ours.includes(p));
  if (onlyOurs.length === 0 && onlyBare.length === 0) return 'the same packages and versions';
  return [
    onlyOurs.length > 0 ? `only ours: ${onlyOurs.join(', ')}` : '',
    onlyBare.length > 0 ? `only bare: ${onlyBare.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
};
