/** A webhook carrying a batch of events: each delivered once, none lost. */
import { triggers } from '../../src/triggers';
import { authData, cacheStub, caught, errorText, fullBundle, logged, stubZ } from '../helpers';
import { TRIGGERS, staticOutputs, type Key, TRIGGER_DEFS, run, runList, envelope } from './setup';

describe('a webhook batch loses nothing', () => {
  const perform = (key: Key) => triggers[key].operation.perform;
  const batch = (items: unknown[]) =>
    fullBundle({
      authData,
      subscribeData: { subscription_id: 'sub_batch' },
      rawRequest: { content: JSON.stringify(items) },
    });

  it('skips an item without a record (logged by event id); the others arrive once across retries', async () => {
    const { cache, calls } = cacheStub();
    const { z, log } = stubZ(cache);
    const body = batch([
      envelope('deal.won', { id: 'd1' }, 'e1'),
      { event: 'deal.won', data: null, metadata: { eventId: 'e2' } },
      envelope('deal.won', { id: 'd3' }, 'e3'),
    ]);
    expect((await perform('deal_won')(z, body)).map((r) => r.id)).toEqual(['d1', 'd3']);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toBe(
      'ISAO: skipped an item of the webhook. The ISAO deal.won event "e2" carried no record.',
    );
    // only what was returned was marked delivered; the sender's retry of the same bytes adds nothing
    expect(calls.map((c) => c[0])).toEqual([
      'isao:delivered:sub_batch:e1',
      'isao:delivered:sub_batch:e3',
    ]);
    expect(await perform('deal_won')(z, body)).toEqual([]);
  });

  it('skips items that are not objects; the others arrive once across retries', async () => {
    const { cache } = cacheStub();
    const { z, log } = stubZ(cache);
    const body = batch([envelope('deal.won', { id: 'd1' }, 'e1'), 7, null]);
    expect((await perform('deal_won')(z, body)).map((r) => r.id)).toEqual(['d1']);
    expect(log.mock.calls.map((c: unknown[]) => c[0])).toEqual([
      'ISAO: skipped an item of the webhook. Item 2 of the ISAO webhook is not an event object ("7").',
      'ISAO: skipped an item of the webhook. Item 3 of the ISAO webhook is not an event object ("null").',
    ]);
    expect(await perform('deal_won')(z, body)).toEqual([]);
    // nothing usable at all: halts, naming the first item and how many more
    const error = await caught(async () => perform('deal_won')(z, batch([7, 'x'])));
    expect(errorText(error)).toBe(
      'Item 1 of the ISAO webhook is not an event object ("7") (and 1 more).',
    );
  });

  it('delivers both records of one event id, with one cache call', async () => {
    const { cache, calls } = cacheStub();
    const { z } = stubZ(cache);
    const body = batch([
      envelope('deal.won', { id: 'd1' }, 'e1'),
      envelope('deal.won', { id: 'd2' }, 'e1'),
    ]);
    expect((await perform('deal_won')(z, body)).map((r) => r.id)).toEqual(['d1', 'd2']);
    expect(calls).toHaveLength(1);
    expect(await perform('deal_won')(z, body)).toEqual([]);
  });

  it('skips an envelope whose event is blank or not an event name, naming it', async () => {
    const { z, log } = stubZ(cacheStub().cache);
    const body = batch([
      { event: '', data: { id: 'd0' }, metadata: { eventId: 'e0' } },
      { event: 'Deal Won', data: { id: 'd9' } },
      envelope('deal.won', { id: 'd1' }, 'e1'),
    ]);
    expect((await perform('deal_won')(z, body)).map((r) => r.id)).toEqual(['d1']);
    expect(log.mock.calls.map((c: unknown[]) => c[0])).toEqual([
      'ISAO: skipped an item of the webhook. The ISAO webhook item "e0" is an envelope whose "event" is not an event name ("").',
      'ISAO: skipped an item of the webhook. The ISAO webhook item is an envelope whose "event" is not an event name ("Deal Won").',
    ]);
  });

  it('delivers two events about the same record, each with its own primary key', async () => {
    const body = batch([
      envelope('contact.updated', { id: 'contact_1', name: 'A' }, 'e1'),
      envelope('contact.updated', { id: 'contact_1', name: 'B' }, 'e2'),
    ]);
    const out = await runList('contact_updated', 'perform', body);
    expect(out.map((r) => [r.id, r.isao_event_key, r.name])).toEqual([
      ['contact_1', 'e1', 'A'],
      ['contact_1', 'e2', 'B'],
    ]);
    // the primary key Zapier checks is id + isao_event_key
    const primary = staticOutputs(TRIGGER_DEFS.contact_updated!).filter((f) => f.primary);
    expect(primary.map((f) => f.key)).toEqual(['id', 'isao_event_key']);
  });

  it('delivers one of two identical items, and both of two different bare records', async () => {
    const same = envelope('deal.won', { id: 'd1' }, 'e1');
    expect((await runList('deal_won', 'perform', batch([same, same]))).map((r) => r.id)).toEqual([
      'd1',
    ]);
    const bare = await runList(
      'deal_won',
      'perform',
      batch([
        { id: 'd1', v: 1 },
        { id: 'd1', v: 2 },
      ]),
    );
    expect(bare.map((r) => r.v)).toEqual([1, 2]);
    expect(bare[0]!.isao_event_key).not.toBe(bare[1]!.isao_event_key);
  });

  it('keeps mixed batches working: other triggers’ events are not this one’s business', async () => {
    const body = batch([
      envelope('deal.lost', { id: 'd0' }, 'e0'),
      { event: 'deal.lost', data: null, metadata: { eventId: 'e9' } },
      envelope('deal.won', { id: 'd1' }, 'e1'),
    ]);
    expect((await runList('deal_won', 'perform', body)).map((r) => r.id)).toEqual(['d1']);
  });

  it('skips an envelope whose event is not a name, for every trigger, and halts when it is alone', async () => {
    const malformed = { event: 42, data: { id: 'd9' }, metadata: { eventId: 'e42' } };
    for (const [key] of TRIGGERS) {
      const error = await caught(() => run(key, 'perform', { cleanedRequest: malformed }));
      expect(error.name).toBe('HaltedError');
      expect(errorText(error)).toBe(
        'The ISAO webhook item "e42" is an envelope whose "event" is not an event name ("42").',
      );
    }
    const out = await runList(
      'deal_won',
      'perform',
      batch([malformed, envelope('deal.won', { id: 'd1' }, 'e1')]),
    );
    expect(out.map((r) => r.id)).toEqual(['d1']);
    expect(logged()).toEqual([
      'ISAO: skipped an item of the webhook. The ISAO webhook item "e42" is an envelope whose "event" is not an event name ("42").',
    ]);
  });

  it('reports how many items were skipped when none was usable', async () => {
    const body = batch([
      { event: 'deal.won', data: null, metadata: { eventId: 'e1' } },
      { event: 'deal.won', data: null, metadata: { eventId: 'e2' } },
    ]);
    const error = await caught(() => run('deal_won', 'perform', body));
    expect(errorText(error)).toBe('The ISAO deal.won event "e1" carried no record (and 1 more).');
  });
});
