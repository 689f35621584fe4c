/**
 * A stand-in of Make's API (make/standin.ts) for each test of a file: started before each test,
 * stopped after it, restarted by a test that wants it to answer otherwise (scripted faults).
 */
import { randomUUID } from 'node:crypto';
import { MakeStandin, type StandinOptions } from '../../make/standin';

export class StandinPerTest {
  readonly token = randomUUID();
  #standin: MakeStandin | undefined;
  #zone = '';

  constructor() {
    beforeEach(() => this.restart());
    afterEach(() => this.#standin?.stop());
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
}
