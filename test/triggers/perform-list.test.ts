/** performList: what it asks ISAO's `/recent` for and what of the answer it lists. */
import { api, apiPath } from '../helpers';
import { runList } from './setup';

test('performList lists nothing when /recent answers an envelope without data', async () => {
  api().get(apiPath('/triggers/deal.won/recent')).query(true).reply(200, { success: true });
  expect(await runList('deal_won', 'performList', {})).toEqual([]);
});

test.each([
  [500, '100'],
  [-1, '10'],
  [0, '10'],
  [0.5, '10'],
  ['7', '10'],
  [2.5, '10'],
  [1, '1'],
  [100, '100'],
  [101, '100'],
])('performList caps the asked limit %p at %s', async (limit, sent) => {
  api()
    .get(apiPath('/triggers/deal.won/recent'))
    .query({ limit: sent })
    .reply(200, [{ id: 'd1' }]);
  const out = await runList('deal_won', 'performList', { meta: { limit } as never });
  expect(out.map((r) => r.id)).toEqual(['d1']);
});

describe('performList reads only what it should', () => {
  it('skips what is not a record and what is another event; dates come from the record', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query({ limit: '10' })
      .reply(200, [
        'junk',
        7,
        { event: 'deal.lost', data: { id: 'd_lost' } },
        { event: 'deal.won', data: { id: 'd1', updatedAt: '2024-11-09T09:30:00.000Z' } },
      ]);
    const out = await runList('deal_won', 'performList');
    expect(out.map((r) => r.id)).toEqual(['d1']);
    expect(out[0]!.isao_event).toEqual({
      type: 'deal.won',
      id: null,
      occurred_at: '2024-11-09T09:30:00.000Z',
      source: null,
      company_id: null,
    });
  });
});

describe('performList', () => {
  const deals = [
    { id: 'd1', title: 'One' },
    { id: 'd2', title: 'Two' },
  ];
  it.each([
    ['a bare list', deals],
    ['{data: […], meta, links, total}', { data: deals, meta: { page: 1 }, links: {}, total: 2 }],
    ['{success, data: {items: […]}}', { success: true, data: { items: deals, total: 2 } }],
    ['{data: {results: […]}, meta}', { data: { results: deals }, meta: {} }],
    ['{items: […]}', { items: deals }],
    ['{results: […], count}', { results: deals, count: 2 }],
    // pagination keys this app does not know: a list in an object without an id
    ['{results, count, next, previous}', { results: deals, count: 2, next: null, previous: null }],
    [
      "Laravel's {data, current_page, per_page, …}",
      { data: deals, current_page: 1, per_page: 15, last_page: 1, next_page_url: null, to: 2 },
    ],
    ['{items, next_cursor}', { items: deals, next_cursor: 'c2' }],
    [
      '{success, data: {items, next_cursor}}',
      { success: true, data: { items: deals, next_cursor: 'c2' } },
    ],
  ])('lists the records of %s, never the envelope as a record', async (_shape, body) => {
    api().get(apiPath('/triggers/deal.won/recent')).query(true).reply(200, body);
    const out = await runList('deal_won', 'performList');
    expect(out.map((r) => [r.id, r.title])).toEqual([
      ['d1', 'One'],
      ['d2', 'Two'],
    ]);
  });

  it('lists one record answered alone, and a record with a data field as a record', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query(true)
      .reply(200, { id: 'd1', title: 'One', data: { source: 'import' } });
    const out = await runList('deal_won', 'performList');
    expect(out.map((r) => [r.id, r.data])).toEqual([['d1', { source: 'import' }]]);
  });

  it('skips a listed record without an id instead of making one up', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query(true)
      .reply(200, [
        { title: 'No id' },
        { event: 'deal.won', data: { title: 'No id either' }, metadata: { eventId: 'e_1' } },
        { id: 'd2', title: 'Two' },
      ]);
    const out = await runList('deal_won', 'performList');
    expect(out.map((r) => r.id)).toEqual(['d2']);
  });

  it('never returns more than the page it asked for, even when the API sends more', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query({ limit: '2' })
      .reply(200, [{ id: 'd1' }, { id: 'd2' }, { id: 'd3' }]);
    const out = await runList('deal_won', 'performList', { meta: { limit: 2 } });
    expect(out.map((r) => r.id)).toEqual(['d1', 'd2']);
  });
});
