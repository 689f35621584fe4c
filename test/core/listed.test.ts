/**
 * What `GET /webhooks` lists, read once for every platform (core/subscriptions.ts): every
 * subscription with its event and URL, which others may go beside one's own, and the one to keep
 * of those for one event and URL.
 */
import { listedWebhooks, newestActive, removableBeside } from '../../core/subscriptions';

const item = (id: string, at: string | undefined, active = true) => ({
  subscription_id: id,
  event_type: 'deal.won',
  target_url: 'https://hooks.example/1',
  is_active: active,
  ...(at === undefined ? {} : { created_at: at }),
});

describe('listedWebhooks', () => {
  it('reads every subscription with an id, bare or in an envelope; undefined for no list', () => {
    const listed = listedWebhooks({
      success: true,
      data: [
        item('sub_1', '2024-11-08T10:30:00.000Z'),
        { event_type: 'deal.won' },
        'x',
        { subscription_id: 'sub_2', event_type: 7, target_url: 8, is_active: 'yes' },
      ],
    });
    expect(listed).toEqual([
      {
        id: 'sub_1',
        event: 'deal.won',
        targetUrl: 'https://hooks.example/1',
        createdAt: Date.parse('2024-11-08T10:30:00.000Z'),
        active: true,
      },
      { id: 'sub_2', event: undefined, targetUrl: undefined, createdAt: NaN, active: false },
    ]);
    expect(listedWebhooks({ success: true, data: { id: 'hook_1' } })).toBeUndefined();
  });
});

describe('newestActive', () => {
  const at = (id: string, createdAt: number, active = true) => ({ id, createdAt, active });

  it('keeps the newest active one; an unknown age counts as the oldest; of equals the last', () => {
    expect(newestActive([at('a', 2), at('b', 3), at('c', 1), at('d', 9, false)])?.id).toBe('b');
    expect(newestActive([at('a', NaN), at('b', 1)])?.id).toBe('b');
    expect(newestActive([at('a', 1), at('b', NaN)])?.id).toBe('a');
    expect(newestActive([at('a', 1), at('b', 1)])?.id).toBe('b');
    expect(newestActive([at('a', 1, false)])).toBeUndefined();
    const none: ReturnType<typeof at>[] = [];
    expect(newestActive(none)).toBeUndefined();
  });
});

describe('removableBeside', () => {
  const at = (id: string, createdAt: number) => ({ id, createdAt });

  it('finds own age in the list when not given, and never removes an unknown age', () => {
    const listed = [at('own', 5), at('older', 4), at('newer', 6), at('unknown', NaN)];
    expect(removableBeside(listed, at('own', NaN), (other, own) => other < own)).toEqual({
      ownCreated: 5,
      others: [at('older', 4), at('newer', 6), at('unknown', NaN)],
      removable: [at('older', 4)],
      unknown: [at('unknown', NaN)],
    });
    const lost = removableBeside([at('x', 1)], at('own', NaN), (other, own) => other < own);
    expect(lost).toEqual({
      ownCreated: NaN,
      others: [at('x', 1)],
      removable: [],
      unknown: [at('x', 1)],
    });
  });
});
