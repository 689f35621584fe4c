/**
 * How `npm run e2e:n8n` reports: numbered steps like `npm start` (sandbox/demo.ts), each with the
 * time it took, a ✓ line per thing checked, and on a failure the step that failed and why.
 */

export const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** A check that did not hold: its message says what was expected and what was seen. */
export class StepFailed extends Error {}

export const check: (ok: boolean, what: string) => asserts ok = (ok, what) => {
  if (!ok) throw new StepFailed(what);
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export interface StepRunner {
  /** Runs one numbered step, printing its title first and its time after. */
  step: <T>(title: string, body: () => Promise<T>) => Promise<T>;
  /** The step running or last run (`3. Start n8n …`), for a failure report. */
  current: () => string;
  /** Each finished step's number, time and title, then the total. */
  summary: () => string;
}

export const stepRunner = (now: () => number = Date.now): StepRunner => {
  const started = now();
  const done: { title: string; ms: number }[] = [];
  let current = 'starting';
  return {
    step: async (title, body) => {
      current = `${String(done.length + 1)}. ${title}`;
      say(`\n${current}`);
      const at = now();
      const result = await body();
      const ms = now() - at;
      done.push({ title, ms });
      say(`   (${seconds(ms)})`);
      return result;
    },
    current: () => current,
    summary: () =>
      [
        ...done.map(
          ({ title, ms }, i) => `  ${String(i + 1)}. ${seconds(ms).padStart(7)}  ${title}`,
        ),
        `     ${seconds(now() - started).padStart(7)}  in all`,
      ].join('\n'),
  };
};
