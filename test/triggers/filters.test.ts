/** The trigger filters: one predicate for live events and test records. */
import { api, apiPath, appError, caught } from '../helpers';
import { TRIGGERS, type Out, run, runList, envelope, listWebhooks } from './setup';

describe('filters: one predicate for live events and test records', () => {
  // each line is one value, commas included: the miss would match the line split at commas
  const MATCHING: Record<string, [input: Out, sent: string[], match: Out, miss: Out]> = {
    tags: [
      { tags: ['Lead, cold', ' vip '] },
      ['Lead, cold', 'vip'],
      { tags: ['VIP'] },
      { tags: ['Lead', 'cold'] },
    ],
    stage: [
      { stage: ['Proposal, phase 2'] },
      ['Proposal, phase 2'],
      { stage: 'proposal, PHASE 2' },
      { stage: 'Proposal' },
    ],
    staff: [
      { staff: ['Jones, Ana', '42441'] },
      ['Jones, Ana', '42441'],
      { staff: { fullName: 'Jones, Ana' } },
      { staff: { fullName: 'Ana', professionalId: 7 } },
    ],
    location: [
      { location: ['Paris, 8e arrondissement'] },
      ['Paris, 8e arrondissement'],
      { location: { locationName: 'paris, 8e arrondissement' } },
      { location: { locationName: 'Paris' } },
    ],
  };

  describe.each(
    TRIGGERS.flatMap(([key, event, , filters]) => filters.map((f) => [key, event, f] as const)),
  )('%s: %s filter', (key, event, filter) => {
    const [input, sent, match, miss] = MATCHING[filter]!;
    const records = [
      { id: 'r_match', ...match },
      { id: 'r_miss', ...miss },
    ];

    it(`is sent on subscribe as filters.${filter}: the values the predicate compares`, async () => {
      api()
        .post(apiPath('/webhooks/subscribe'), (body: Out) => {
          expect(body.filters).toEqual({ [filter]: sent });
          return true;
        })
        .reply(201, { success: true, data: { subscription_id: 'sub_1' } });
      listWebhooks();
      await run(key, 'performSubscribe', {
        targetUrl: 'https://hooks.example/1',
        inputData: input,
      });
    });

    it('lets only matching live events through', async () => {
      const rawRequest = {
        content: JSON.stringify(records.map((r, i) => envelope(event, r, `e${String(i)}`))),
      };
      const out = await runList(key, 'perform', { inputData: input, rawRequest });
      expect(out.map((r) => r.id)).toEqual(['r_match']);
      const all = await runList(key, 'perform', { inputData: {}, rawRequest });
      expect(all.map((r) => r.id)).toEqual(['r_match', 'r_miss']);
    });

    it('lets only matching test records through', async () => {
      // a filter is applied after the API's page, so the largest page is asked for
      api()
        .get(apiPath(`/triggers/${event}/recent`))
        .query({ limit: '100' })
        .reply(200, records);
      const out = await runList(key, 'performList', {
        inputData: input,
        meta: { limit: 2 },
      });
      expect(out.map((r) => r.id)).toStrictEqual(['r_match']);
    });
  });

  it('refuses a filter made only of blanks, naming it, before subscribing', async () => {
    const error = await caught(() =>
      run('new_deal', 'performSubscribe', {
        targetUrl: 'https://hooks.example/1',
        inputData: { stage: [' ', ' , \u200b'] },
      }),
    );
    expect(error.name).not.toBe('HaltedError');
    expect(appError(error)).toEqual({
      message:
        'The Stage filter holds only blank values (spaces, commas or invisible characters). Enter at least one value, or clear the field to trigger on every deal.',
      code: 'invalid_filter',
      status: 400,
    });
  });
});
