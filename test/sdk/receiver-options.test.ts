/**
 * The receiver's own options (sdk/src/receiver-options.ts): the defaults, and a deadline or lease
 * that no timer can hold refused when the receiver is made, naming the option.
 */
import { Webhooks } from '../../sdk/src/index';
import { MAX_DELAY_MS, receiverOptions } from '../../sdk/src/receiver-options';
import { SECRET } from './receiving';

describe('the receiver’s options', () => {
  it.each(['deadline', 'lease'] as const)('refuses a %s no timer can hold, naming it', (name) => {
    for (const bad of [Infinity, -Infinity, NaN, -1, 2 ** 31, MAX_DELAY_MS + 0.5]) {
      expect(() => new Webhooks({ secrets: SECRET, [name]: bad })).toThrow(
        new TypeError(
          `@isao/webhooks: \`${name}\` must be a number of milliseconds from 0 to 2147483647 (a timer holds no longer); it is ${String(bad)}.`,
        ),
      );
    }
  });

  it('refuses a deadline or lease that is no number, saying what it is', () => {
    // @ts-expect-error: a string, as JavaScript may pass it
    expect(() => new Webhooks({ secrets: SECRET, deadline: '100' })).toThrow(
      '`deadline` must be a number of milliseconds from 0 to 2147483647 (a timer holds no longer); it is a string.',
    );
    // @ts-expect-error: the same
    expect(() => new Webhooks({ secrets: SECRET, lease: '100' })).toThrow('`lease` must be');
  });

  it('takes a deadline and lease from 0 to the longest a timer holds, and says which when both are bad', () => {
    for (const ms of [0, 1, MAX_DELAY_MS]) {
      expect(receiverOptions({ secrets: SECRET, deadline: ms, lease: ms })).toMatchObject({
        deadlineMs: ms,
        leaseMs: ms,
      });
    }
    expect(() => new Webhooks({ secrets: SECRET, deadline: -1, lease: -1 })).toThrow(
      '`deadline` must be',
    );
  });

  it('leases for the deadline plus 5 s by default, no longer than a timer holds', () => {
    expect(receiverOptions({ secrets: SECRET })).toMatchObject({
      deadlineMs: 10_000,
      leaseMs: 15_000,
      unknownEvents: 'ignore',
    });
    expect(receiverOptions({ secrets: SECRET, deadline: MAX_DELAY_MS - 1 }).leaseMs).toBe(
      MAX_DELAY_MS,
    );
  });
});
