/** The steps of scripts/zip.js (plain CommonJS, run by node directly), typed for TypeScript. */
export declare const root: string;
/** What our zip is built from: the entry, the CLI's config and the compiled app. */
export declare const APP_FILES: string[];
/**
 * `<lockfile path>@<version>` of every package the app's dependencies need at run time, from
 * package-lock.json (dependencies, installed optional dependencies, required peers; not
 * optional peers, not dev-only packages).
 */
export declare function productionTree(lockFile?: string): string[];
/** `<lockfile path>@<version>` of every package present under dir/node_modules. */
export declare function installedTree(dir: string): string[];
/** Stages the app (package.json without dev parts, its files, exactly the production tree). */
export declare function stageApp(options: { stage: string }): void;
/** `zapier-platform build --skip-validation --skip-dep-install` in a stage; copies the zip to target. */
export declare function buildZip(
  stage: string,
  target: string,
  stdio?: 'inherit' | 'pipe' | 'ignore',
): string;
/** Unpacks a zip into dir (emptied first). */
export declare function unpackZip(zipPath: string, dir: string): string;
/** What checkZip found in a build.zip (it throws when any of it is not as the app has it). */
export interface LoadedZip {
  version: string;
  platformVersion: string;
  authentication: boolean;
  triggers: string[];
  creates: string[];
  packages: string[];
}
/** Unpacks build.zip, loads it in Zapier's zapierwrapper.js handler and checks what it defines. */
export declare function checkZip(zipPath: string): LoadedZip;
/** The files source.zip holds (the CLI's selection, limited to git-tracked files). */
export declare function sourceFiles(): string[];
/** Writes source.zip from sourceFiles(). */
export declare function writeSourceZip(target: string): string;
/** The file names in a zip. */
export declare function zipEntries(zipPath: string): string[];
/** Checks a source.zip holds the source and nothing secret; returns its file names. */
export declare function checkSourceZip(zipPath: string): string[];
/** One file of a zip written by writeReproducibleZip: its name, bytes and Unix mode. */
export interface ZipFile {
  name: string;
  data: Buffer;
  mode: number;
}
/** Writes a zip in name order with fixed entry times and stable modes: same files, same bytes. */
export declare function writeReproducibleZip(target: string, files: ZipFile[]): string;
