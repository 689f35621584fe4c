/** The steps of scripts/zip.js (plain CommonJS, run by node directly), typed for the benchmarks. */
export declare const root: string;
/** What our zip is built from: the entry, the CLI's config and the compiled app. */
export declare const APP_FILES: string[];
/** Top-level node_modules folders that the named production dependencies need. */
export declare function productionPackages(names?: string[]): string[];
/** Stages an app (its package.json without dev parts, its files, its production packages). */
export declare function stageApp(options: {
  appDir?: string;
  stage: string;
  files?: string[];
}): void;
/** `zapier-platform build --skip-validation --skip-dep-install` in a stage; copies the zip to target. */
export declare function buildZip(
  stage: string,
  target: string,
  stdio?: 'inherit' | 'pipe' | 'ignore',
): string;
/** Unpacks a zip into dir (emptied first). */
export declare function unpackZip(zipPath: string, dir: string): string;
/** Unpacks the zip and loads it in Zapier's zapierwrapper.js handler. */
export declare function checkZip(zipPath: string): void;
