/**
 * The facts of ISAO's subscriptions every platform relies on (core/subscriptions.ts); the calls
 * through Zapier's runtime: test/triggers/, through n8n's: test/n8n/.
 */
import { listedFor, subscribeBody, subscribed } from '../../core/subscriptions';

describe('a subscribe answer', () => {
  it('gives the subscription, its id and its own secret (secret before signing_secret)', () => {
    expect(subscribed({ success: true, data: { subscription_id: 's1', secret: 'a' } })).toEqual({
      subscription: { subscription_id: 's1', secret: 'a' },
      id: 's1',
      secret: 'a',
    });
    expect(subscribed({ subscription_id: 's1', signing_secret: 'b', secret: 'a' })?.secret).toBe(
      'a',
    );
    expect(subscribed({ subscription_id: 's1', signing_secret: 'b' })?.secret).toBe('b');
    // no `secret` key at all, not one holding undefined
    expect(subscribed({ subscription_id: 's1' })).toStrictEqual({
      subscription: { subscription_id: 's1' },
      id: 's1',
    });
  });

  it('is nothing a later unsubscribe could use without a subscription_id', () => {
    for (const data of [null, 'ok', [], { success: true }, { subscription_id: ' ' }]) {
      expect(subscribed(data)).toBeUndefined();
    }
  });
});

describe('the listed subscriptions', () => {
  const mine = { subscription_id: 's1', event_type: 'deal.won', target_url: 'https://h/1' };

  it('are those of this event and this hook URL only, with their creation time', () => {
    const list = [
      { ...mine, created_at: '2024-11-08T10:00:00.000Z' },
      { ...mine, subscription_id: 's2', event_type: 'deal.lost' },
      { ...mine, subscription_id: 's3', target_url: 'https://h/2' },
      { ...mine, subscription_id: undefined },
      'junk',
    ];
    expect(listedFor({ data: list }, 'deal.won', 'https://h/1')).toEqual([
      { id: 's1', createdAt: Date.parse('2024-11-08T10:00:00.000Z'), active: false },
    ]);
    expect(listedFor([mine], 'deal.won', 'https://h/1')?.[0]?.createdAt).toBeNaN();
    expect(listedFor({ id: 'x' }, 'deal.won', 'https://h/1')).toBeUndefined();
  });

  it('are active only while ISAO lists them with is_active true', () => {
    const states = [true, false, 'true', 1, null, undefined].map((isActive) =>
      listedFor([{ ...mine, is_active: isActive }], 'deal.won', 'https://h/1')?.map(
        (s) => s.active,
      ),
    );
    expect(states).toEqual([[true], [false], [false], [false], [false], [false]]);
  });

  it('subscribing sends the event, the URL and only the filters set', () => {
    expect(subscribeBody('deal.won', 'https://h/1', undefined)).toEqual({
      event: 'deal.won',
      target_url: 'https://h/1',
    });
    expect(subscribeBody('deal.won', 'https://h/1', { stage: ['Won'] })).toEqual({
      event: 'deal.won',
      target_url: 'https://h/1',
      filters: { stage: ['Won'] },
    });
  });
});
