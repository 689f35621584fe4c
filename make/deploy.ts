/**
 * `npm run make:deploy`: puts the generated app (make/app/) into a Make account through Make's
 * API with the official SDK (@makehq/sdk). It creates the app once, then its connection, its
 * webhooks and its modules, uploads every section, and links each webhook to the connection and
 * each instant trigger to its webhook. Make names connections and webhooks itself: those names,
 * and a digest of everything uploaded, are kept in make/deployments/<zone>.json (commit it), so a
 * second run creates nothing and uploads only what changed. `--dry-run` prints the calls instead.
 */
import * as path from 'node:path';
import { quote, shown } from '../core/inputs';
import { deployApp, type DeployResult } from './deploy-app';
import { PacedMake, printedCalls, sdkCalls, type Sleep } from './deploy-calls';
import { emptyState, loadState, saveState, type DeployState } from './deploy-state';
import { APP_DIR, ROOT } from './generate';

/** Where the map of one zone's account is kept. */
export const stateFile = (zone: string): string =>
  path.join(ROOT, 'make', 'deployments', `${zone}.json`);

/** A Make zone as the SDK takes it: `eu1.make.com`, or host:port for a local stand-in. */
const ZONE = /^[a-z0-9-]+(\.[a-z0-9-]+)*(:\d+)?$/;

export const MISSING_SETTINGS =
  'make:deploy needs MAKE_API_TOKEN (a Make API token with the sdk-apps:read and sdk-apps:write scopes) and MAKE_ZONE (your Make zone, e.g. eu1.make.com); see docs/make.md.';

export interface DeployOptions {
  token?: string;
  zone?: string;
  dryRun: boolean;
  /** http for a stand-in on this machine (the rehearsal); https otherwise. */
  protocol?: 'http' | 'https';
  appDir?: string;
  stateFile?: string;
  print?: (line: string) => void;
  /** Where a failure's one line goes: stderr unless told. */
  printError?: (line: string) => void;
  /** How the deploy waits when Make answers 429 (a test records the waits instead). */
  sleep?: Sleep;
}

const sleepFor: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** How many characters of a failure (Make's words included) the deploy prints. */
const FAILURE_MAX = 500;

/** A failure as one bounded line that never shows the token. */
export const failureLine = (error: unknown, secrets: readonly unknown[]): string =>
  shown(error instanceof Error ? error.message : String(error), FAILURE_MAX, secrets);

/**
 * Runs a deploy as the npm script does and gives its exit code: a missing setting or a failed
 * call is one line on stderr (what was created before a failure is in the map, and is not created
 * again by the next run).
 */
export const runDeploy = async (options: DeployOptions): Promise<number> => {
  const print =
    options.print ??
    ((line: string) => {
      console.log(line);
    });
  const printError =
    options.printError ??
    ((line: string) => {
      console.error(line);
    });
  const zone = options.zone?.trim();
  const token = options.token?.trim();
  if (zone && !ZONE.test(zone)) {
    printError(`MAKE_ZONE ${quote(zone)} is not a Make zone such as eu1.make.com.`);
    return 1;
  }
  const appDir = options.appDir ?? APP_DIR;
  if (options.dryRun) {
    const file = options.stateFile ?? (zone ? stateFile(zone) : undefined);
    print(
      `make:deploy --dry-run: the calls a deploy to ${zone ?? 'a new Make account'} would make`,
    );
    const result = await deployApp(
      appDir,
      printedCalls(print),
      file ? loadState(file) : emptyState(),
      () => undefined,
      () => undefined,
    );
    print(
      `${String(result.created.length)} to create, ${String(result.uploaded.length)} to upload, ${String(result.unchanged)} unchanged`,
    );
    return 0;
  }
  if (!token || !zone) {
    printError(MISSING_SETTINGS);
    return 1;
  }
  const file = options.stateFile ?? stateFile(zone);
  const state = loadState(file);
  const make = new PacedMake(token, zone, options.sleep ?? sleepFor);
  make.protocol = options.protocol ?? 'https';
  const save = (next: DeployState) => {
    saveState(file, next);
  };
  const started = Date.now();
  let result: DeployResult;
  try {
    result = await deployApp(appDir, sdkCalls(make), state, save, print);
  } catch (error) {
    printError(`make:deploy failed: ${failureLine(error, [token])}`);
    return 1;
  }
  print(
    `make:deploy: ${String(result.created.length)} created, ${String(result.uploaded.length)} uploaded, ${String(result.unchanged)} unchanged in ${String(Date.now() - started)} ms (map: ${path.relative(ROOT, file)})`,
  );
  return 0;
};

// Stryker disable all: the command-line entry point, run only as `npm run make:…` in its own process, never in a test's (docs/mutation-testing.md)
if (require.main === module) {
  runDeploy({
    token: process.env.MAKE_API_TOKEN,
    zone: process.env.MAKE_ZONE,
    dryRun: process.argv.includes('--dry-run'),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`make:deploy failed: ${failureLine(error, [process.env.MAKE_API_TOKEN])}`);
      process.exitCode = 1;
    },
  );
}
// Stryker restore all
