/** The trigger's memory of delivered events: its window, its scopes and its size bound. */
import { DeliveredEvents, MAX_REMEMBERED } from '../../../n8n/shared/dedup';
import { DEDUP_TTL_SECONDS } from '../../../core/signatures';

const SCOPE = ['wf-1', 'node-1'];
const T0 = Date.parse('2026-12-02T06:00:00Z');
const WINDOW = DEDUP_TTL_SECONDS * 1000;

describe('DeliveredEvents', () => {
  it('claims an event id once within the window, and again once it has passed', () => {
    const memory = new DeliveredEvents();

    expect(memory.claim(SCOPE, ['evt_1'], T0)).toEqual([true]);
    expect(memory.claim(SCOPE, ['evt_1'], T0 + WINDOW - 1)).toEqual([false]);
    expect(memory.claim(SCOPE, ['evt_1'], T0 + WINDOW)).toEqual([true]);
  });

  it('keeps the window from the first delivery: a retry does not extend it', () => {
    const memory = new DeliveredEvents(1000);
    memory.claim(SCOPE, ['evt_1'], T0);
    memory.claim(SCOPE, ['evt_1'], T0 + 900);

    expect(memory.claim(SCOPE, ['evt_1'], T0 + 1000)).toEqual([true]);
  });

  it('answers each id of one claim, an id given twice being first once', () => {
    const memory = new DeliveredEvents();
    memory.claim(SCOPE, ['evt_seen'], T0);

    expect(memory.claim(SCOPE, ['evt_a', 'evt_seen', 'evt_a', 'evt_b'], T0)).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it('keeps scopes apart, including ids that would join into the same text', () => {
    const memory = new DeliveredEvents();
    memory.claim(['wf-1', 'node-1'], ['evt_1'], T0);

    expect(memory.claim(['wf-1', 'node-2'], ['evt_1'], T0)).toEqual([true]);
    expect(memory.claim(['wf-2', 'node-1'], ['evt_1'], T0)).toEqual([true]);
    expect(memory.claim(['wf-1', 'node-1evt_1'], [''], T0)).toEqual([true]);
  });

  it('forgets expired entries when the next claim comes, with no timer', () => {
    const memory = new DeliveredEvents(1000);
    memory.claim(SCOPE, ['a', 'b'], T0);
    memory.claim(SCOPE, ['c'], T0 + 500);

    memory.claim(SCOPE, [], T0 + 1000);

    expect(memory.size).toBe(1);
    expect(memory.claim(SCOPE, ['c'], T0 + 1000)).toEqual([false]);
  });

  it('holds at most its capacity, forgetting the oldest first', () => {
    const memory = new DeliveredEvents(WINDOW, 3);
    memory.claim(SCOPE, ['a', 'b', 'c', 'd'], T0);

    expect(memory.size).toBe(3);
    expect(memory.claim(SCOPE, ['b', 'c', 'd'], T0)).toEqual([false, false, false]);
    expect(memory.claim(SCOPE, ['a'], T0)).toEqual([true]);
  });

  it('defaults to the replay window and a bound of a few megabytes', () => {
    const memory = new DeliveredEvents();
    memory.claim(SCOPE, ['evt_1'], T0);

    expect(memory.claim(SCOPE, ['evt_1'], T0 + WINDOW - 1)).toEqual([false]);
    expect(MAX_REMEMBERED).toBe(20_000);
    const many = Array.from({ length: MAX_REMEMBERED + 1 }, (_, i) => `evt_${String(i)}`);
    memory.claim(SCOPE, many, T0);
    expect(memory.size).toBe(MAX_REMEMBERED);
  });
});
