/**
 * What the deploy's tests share: a stand-in of Make's API (make/standin.ts) for each test of a
 * file, started before each test, stopped after it, restarted by a test that wants it to answer
 * otherwise (scripted or seeded faults); a copy of the generated app a test may change; and the
 * deploy as the npm script runs it, against the stand-in, with the waits it asked for recorded
 * instead of waited.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVENT_NAMES } from '../../core/events';
import { runDeploy } from '../../make/deploy';
import { APP_DIR } from '../../make/generate';
import { MakeStandin, type StandinOptions } from '../../make/standin';
import './local-only';

/** One app, its connection, a webhook and an instant trigger per event, Create Contact, the universal module. */
export const CREATES = 1 + 1 + EVENT_NAMES.length * 2 + 2;

/** One deploy's exit code, what it printed, its failure line, and the waits it asked for. */
export interface DeployRun {
  code: number;
  printed: string[];
  errors: string[];
  waits: number[];
}

export class StandinPerTest {
  readonly token = randomUUID();
  #standin: MakeStandin | undefined;
  #zone = '';
  #work = '';

  constructor() {
    beforeEach(async () => {
      this.#work = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-make-test-'));
      await this.restart();
    });
    afterEach(async () => {
      await this.#standin?.stop();
      fs.rmSync(this.#work, { recursive: true, force: true });
    });
  }

  /** A fresh stand-in (nothing deployed), answering as `options` say. */
  async restart(options: StandinOptions = {}): Promise<void> {
    await this.#standin?.stop();
    this.#standin = new MakeStandin(this.token, options);
    this.#zone = await this.#standin.start();
  }

  get standin(): MakeStandin {
    if (!this.#standin) throw new Error('the stand-in is started before each test');
    return this.#standin;
  }

  /** The zone to give the SDK: the stand-in's host:port. */
  get zone(): string {
    return this.#zone;
  }

  /** The deploy's map of this test. */
  get mapFile(): string {
    return path.join(this.#work, 'map.json');
  }

  /** A copy of the generated app that the test may change; its folder. */
  appCopy(): string {
    const dir = path.join(this.#work, 'app');
    fs.cpSync(APP_DIR, dir, { recursive: true });
    return dir;
  }

  /** `npm run make:deploy` of `appDir` to the stand-in, remembering in this test's map. */
  async deploy(appDir: string = APP_DIR, token: string = this.token): Promise<DeployRun> {
    const run: DeployRun = { code: 0, printed: [], errors: [], waits: [] };
    run.code = await runDeploy({
      token,
      zone: this.#zone,
      dryRun: false,
      protocol: 'http',
      appDir,
      stateFile: this.mapFile,
      print: (line) => run.printed.push(line),
      printError: (line) => run.errors.push(line),
      sleep: (ms) => {
        run.waits.push(ms);
        return Promise.resolve();
      },
    });
    return run;
  }
}
