/**
 * ISAO's delivery schedule (core/schedule.ts), as the sandbox and `isao trigger --like-isao`
 * follow it: a 2xx ends it, anything else is retried up to 3 times after 1, 2 and 4 seconds, and
 * a sender that stops stops at once.
 */
import { deliverOnSchedule, delivered, ISAO_DELIVERY, type Attempted } from '../../core/schedule';

describe('delivered', () => {
  it.each([
    [undefined, false],
    [199, false],
    [200, true],
    [204, true],
    [299, true],
    [300, false],
    [503, false],
  ])('status %p: %p', (status, expected) => {
    expect(delivered(status)).toBe(expected);
  });
});

/** Runs the schedule over answers given in turn; the waits and attempts it made. */
const run = async (answers: readonly (Attempted | undefined)[]) => {
  const waits: number[] = [];
  const tried: number[] = [];
  const result = await deliverOnSchedule(
    ISAO_DELIVERY,
    (n) => {
      tried.push(n);
      return Promise.resolve(answers[n - 1]);
    },
    (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  );
  return { ...result, waits, tried };
};

describe('deliverOnSchedule', () => {
  it('is ISAO’s: 30 s per attempt, 3 retries, from 1 s doubling', () => {
    expect(ISAO_DELIVERY).toEqual({ retries: 3, backoffMs: 1000, timeoutMs: 30_000 });
  });

  it('stops at the first 2xx', async () => {
    expect(await run([{ status: 500 }, { error: 'timeout' }, { status: 200 }])).toEqual({
      attempts: [{ status: 500 }, { error: 'timeout' }, { status: 200 }],
      outcome: 'delivered',
      waits: [1000, 2000],
      tried: [1, 2, 3],
    });
  });

  it('gives up after the first attempt and 3 retries, without waiting after the last', async () => {
    const failed = { status: 500 };
    expect(await run([failed, failed, failed, failed, { status: 200 }])).toEqual({
      attempts: [failed, failed, failed, failed],
      outcome: 'given up',
      waits: [1000, 2000, 4000],
      tried: [1, 2, 3, 4],
    });
  });

  it('stops when the sender says so', async () => {
    expect(await run([{ status: 502 }, undefined])).toEqual({
      attempts: [{ status: 502 }],
      outcome: 'stopped',
      waits: [1000],
      tried: [1, 2],
    });
  });
});
