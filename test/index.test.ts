// The app definition's platform settings (src/index.ts). `flags` is a deliberate setting with no
// behaviour a unit test can observe (core only skips patching node's http), so it is pinned
// here; it is read once when the module loads, so `npm run mutate` (ignoreStatic) does not
// count its mutants, but a change to it fails this test.
import * as fs from 'node:fs';
import * as path from 'node:path';
import App from '../src';
import { EVENTS } from '../core/events';

test("core's http patch is off: it would add a log upload for z.cache's RPC call on every event", () => {
  // every request the app makes goes through z.request, which core logs on its own
  expect(App.flags).toEqual({ skipHttpPatch: true });
});

/**
 * The README's trigger table is what a Zap user reads before connecting: each row's label must
 * be a trigger the app has, for the event the row names, and every trigger must have a row. It
 * also pins the event table (events.ts) from outside: a label or event swapped between two rows
 * of the table, which `npm run mutate` does not plant (module-level tables are static), fails here.
 */
test("the README's trigger table names every trigger, with its event", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.split('## What Zap users get')[1]?.split('\n\n')[1] ?? '';
  const documented = section
    .split('\n')
    .slice(2) // the header and its rule
    .flatMap((row) => {
      const [labels = '', events = ''] = row.split('|').slice(1, 3);
      const names = labels.split('/').map((label) => label.trim());
      const ids = events.split('/').map((event) => event.trim().replace(/`/g, ''));
      expect(ids).toHaveLength(names.length);
      return names.map((label, i) => `${label} → ${ids[i] ?? ''}`);
    });
  const triggers: Record<string, { display: { label?: string } } | undefined> = App.triggers;
  const actual = Object.values(EVENTS).map(
    ({ event, trigger }) =>
      `${triggers[trigger]?.display.label ?? `(no trigger ${trigger})`} → ${event}`,
  );
  expect(documented.sort()).toEqual(actual.sort());
  expect(Object.keys(triggers).sort()).toEqual(
    Object.values(EVENTS)
      .map((f) => f.trigger)
      .sort(),
  );
});
