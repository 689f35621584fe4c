/** scripts/check-install.js (plain CommonJS, run by node directly), typed for TypeScript. */
export interface LockFile {
  packages: Record<
    string,
    { engines?: { node?: string }; optional?: boolean; hasInstallScript?: boolean }
  >;
}
/**
 * `<lockfile path> (needs node <range>)` for each installed package `nodeVersion` cannot run,
 * leaving out optional packages and those whose install script `allowScripts` denies.
 */
export declare function unsupportedEngines(
  lock: LockFile,
  nodeVersion: string,
  allowScripts: Record<string, boolean> | undefined,
): string[];
/** The packages with an install script that `allowScripts` does not name. */
export declare function undeclaredScripts(
  lock: LockFile,
  allowScripts: Record<string, boolean> | undefined,
): string[];
