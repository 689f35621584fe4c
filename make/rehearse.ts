/**
 * `npm run make:rehearse`: the real deploy (deploy.ts, through @makehq/sdk) against a local
 * stand-in of Make's API (standin.ts) on 127.0.0.1, twice, the stand-in answering a 429 now and
 * then. It then judges what arrived against the app's files: makecomapp.json passes Make's
 * schema, every component created once, every section present and identical to its file (the
 * stand-in took it only in Make's content type and by Make's schemas), every webhook linked to the
 * connection and every instant trigger to its webhook; and the second deploy must create and
 * upload nothing. CI runs it.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { failureLine, runDeploy } from './deploy';
import { loadState, type DeployState } from './deploy-state';
import { APP_DIR } from './generate';
import { MANIFEST } from './layout';
import { readManifest, sectionFiles } from './manifest';
import { MakeStandin } from './standin';
import { makeSchemas, seededFaults, type Call, type Faults } from './standin-rules';

/** One deploy of the rehearsal: its calls, how long it took, and what it printed. */
export interface Run {
  calls: Call[];
  ms: number;
  exitCode: number;
  printed: string[];
  /** Its failure, in the one line it printed. */
  errors: string[];
}

export interface Rehearsal {
  first: Run;
  second: Run;
  /** Everything that was wrong; empty when the rehearsal passed. */
  problems: string[];
}

/** What arrived at the stand-in, judged against the app's files and the deploy's map. */
export const judge = (appDir: string, standin: MakeStandin, map: DeployState): string[] => {
  const read = (file: string) => fs.readFileSync(path.join(appDir, file), 'utf8');
  // the manifest the deploy read, as Make's tooling would read it
  const problems = makeSchemas()('makecomapp.schema.json', JSON.parse(read(MANIFEST))).map(
    ({ at, message }) => `${MANIFEST} ${at}: ${message}`,
  );
  const manifest = readManifest(read(MANIFEST));
  const { state } = standin;
  const app = map.app && state.apps.get(map.app.name);
  if (!app || state.apps.size !== 1)
    return [...problems, `one app expected, ${String(state.apps.size)} arrived`];
  const general = {
    base: manifest.general.base,
    groups: manifest.general.groups,
    readme: manifest.general.readme,
  };
  for (const [section, file] of Object.entries(general)) {
    if (app.sections.get(section) !== read(file))
      problems.push(`app section ${section} did not arrive as ${file}`);
  }
  const stores = { connection: state.connections, webhook: state.webhooks, module: state.modules };
  for (const [kind, store] of Object.entries(stores)) {
    const expected = manifest.components.filter((c) => c.kind === kind).length;
    if (store.size !== expected)
      problems.push(`${String(expected)} ${kind}s expected, ${String(store.size)} arrived`);
  }
  for (const component of manifest.components) {
    const where = `${component.kind} ${component.id}`;
    const name = map.names[component.kind][component.id];
    // Stryker disable next-line ConditionalExpression: no store holds a component under undefined, so get(undefined) is the same undefined
    const remote = name === undefined ? undefined : stores[component.kind].get(name);
    if (!remote) {
      problems.push(`${where} was not created`);
      continue;
    }
    for (const [section, file] of sectionFiles(component)) {
      const arrived = remote.sections.get(section);
      if (arrived === undefined) problems.push(`${where}: section ${section} is missing`);
      else if (arrived !== read(file))
        problems.push(`${where}: section ${section} differs from ${file}`);
    }
    const connection = component.connection && map.names.connection[component.connection];
    // a connection refers to none: the stand-in keeps none on it, and it names none
    if (remote.connection !== connection) {
      problems.push(`${where} is not linked to its connection`);
    }
    if (component.moduleType === 'instant_trigger') {
      const hookName = component.webhook && map.names.webhook[component.webhook];
      const hook = hookName ? state.webhooks.get(hookName) : undefined;
      if (!hook || remote.webhook !== hookName)
        problems.push(`${where} is not linked to its webhook`);
      else if (!hook.sections.has('attach') || !hook.sections.has('detach')) {
        problems.push(`${where}: its webhook cannot attach and detach`);
      }
    }
  }
  return problems;
};

/** Creates and uploads (a second deploy of the same files must make none). */
const writes = (calls: readonly Call[]) => calls.filter((call) => call.method !== 'GET');

/**
 * The rehearsal's stand-in answers about one call in thirty with a 429 (Retry-After: 1), chosen
 * by a fixed seed: the same calls on every run, so CI sees the deploy wait and retry, never luck.
 */
export const rehearsalFaults = (): Faults => seededFaults(28, { tooMany: 1 / 30 });

export const rehearse = async (
  appDir: string = APP_DIR,
  faults: Faults = rehearsalFaults(),
): Promise<Rehearsal> => {
  const token = randomUUID();
  const standin = new MakeStandin(token, { faults });
  const zone = await standin.start();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-make-rehearsal-'));
  const stateFile = path.join(work, 'deployment.json');
  const deployOnce = async (): Promise<Run> => {
    const before = standin.calls.length;
    const printed: string[] = [];
    const errors: string[] = [];
    const started = Date.now();
    // runDeploy words a failed call in the one line it prints, and throws on nothing a run of
    // the rehearsal can meet (a map it did not write itself, a dry run's manifest)
    const exitCode = await runDeploy({
      token,
      zone,
      dryRun: false,
      protocol: 'http',
      appDir,
      stateFile,
      print: (line) => printed.push(line),
      printError: (line) => errors.push(line),
    });
    const calls = standin.calls.slice(before);
    return { calls, ms: Date.now() - started, exitCode, printed, errors };
  };
  try {
    const first = await deployOnce();
    const refusedFirst = standin.problems.length;
    const problems = [...standin.problems, ...judge(appDir, standin, loadState(stateFile))];
    const second = await deployOnce();
    problems.push(...standin.problems.slice(refusedFirst));
    for (const [which, run] of [
      ['first', first],
      ['second', second],
    ] as const) {
      // Stryker disable next-line StringLiteral: a failed deploy prints one line (runDeploy), so the separator never shows
      if (run.exitCode !== 0) problems.push(`the ${which} deploy failed: ${run.errors.join(' ')}`);
    }
    const again = writes(second.calls);
    if (again.length > 0) {
      problems.push(
        `the second deploy changed ${String(again.length)} things: ${again.map((c) => `${c.method} ${c.path}`).join(', ')}`,
      );
    }
    return { first, second, problems };
  } finally {
    await standin.stop();
    // Stryker disable next-line BooleanLiteral: force only forgives a path that is missing, and mkdtempSync made this one
    fs.rmSync(work, { recursive: true, force: true });
  }
};

/** One deploy of the rehearsal in one line, as `npm run make:rehearse` prints it. */
export const summary = (run: Run): string => {
  const done = run.calls.filter((call) => call.status < 400);
  const count = (method: string) => done.filter((call) => call.method === method).length;
  const limited = run.calls.filter((call) => call.status === 429).length;
  return `${String(run.calls.length)} calls (${String(count('POST'))} creates, ${String(count('PATCH'))} links, ${String(count('PUT'))} section uploads, ${String(count('GET'))} checks; ${String(limited)} answered 429 and retried) in ${String(run.ms)} ms`;
};

// Stryker disable all: the command-line entry point, run only as `npm run make:…` in its own process, never in a test's (docs/mutation-testing.md)
if (require.main === module) {
  rehearse().then(
    ({ first, second, problems }) => {
      console.log(`make:rehearse: deploy to a local stand-in of Make's API on 127.0.0.1`);
      console.log(`  first deploy:  ${summary(first)}`);
      console.log(`  second deploy: ${summary(second)}`);
      for (const problem of problems) console.log(`  PROBLEM: ${problem}`);
      console.log(
        problems.length === 0
          ? "  every component created once, every section arrived as its file and passed Make's schemas, every instant trigger linked to its webhook, the second deploy changed nothing"
          : `make:rehearse failed: ${String(problems.length)} problems`,
      );
      process.exitCode = problems.length === 0 ? 0 : 1;
    },
    (error: unknown) => {
      console.error(`make:rehearse failed: ${failureLine(error, [])}`);
      process.exitCode = 1;
    },
  );
}
// Stryker restore all
