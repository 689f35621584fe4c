/**
 * Console output of each test, kept instead of printed (jest.config.js `setupFilesAfterEnv`): a
 * test that exercises an error path logs through core's z.console (which writes to `console`
 * too), and a clean run should stay quiet. `logged()` gives the running test's lines, to assert
 * on where the log matters; test/environment.js prints them under a test that fails.
 */
import { format } from 'node:util';

/** Where the running test's lines are kept: the test environment reads them on a failure. */
export const CAPTURE_KEY = '__isaoTestConsole';

type Captured = typeof globalThis & { [CAPTURE_KEY]?: string[] };
const captured = globalThis as Captured;

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** The lines the running test wrote to the console so far (`console.<method>` formatted). */
export const logged = (): string[] => [...(captured[CAPTURE_KEY] ?? [])];

beforeEach(() => {
  const lines: string[] = [];
  captured[CAPTURE_KEY] = lines;
  for (const method of METHODS) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      // core's z.console writes whole lines (with their newline) through to console.log
      lines.push(format(...args).replace(/\n$/, ''));
    });
  }
});
