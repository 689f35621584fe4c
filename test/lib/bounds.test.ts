/**
 * A webhook item past the core's bounds (core/bounds.ts: how deep and how large an item may be)
 * through Zapier's runtime: the item is skipped with a reason saying so, its neighbours still
 * reach the Zap, and nothing throws, however deep the body nests. Without a signing secret anyone
 * who knows the hook URL can send such a body.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { hookBundle } from '../../sandbox/hook-bundle';
import { triggers } from '../../src/triggers';
import { appTester, caught, errorText, fullBundle, logged, type BundleParts } from '../helpers';

/** `[` nested `depth` times, as text: 39 KB of it is 20,000 levels. */
const brackets = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
/** `{"a":{"a":…1…}}` nested `depth` times, as text. */
const objects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

const event = (eventId: string, data: string): string =>
  `{"event":"contact.created","data":${data},"metadata":{"eventId":"${eventId}"}}`;
const good = (eventId: string): string => event(eventId, `{"id":"c_${eventId}","name":"Ada"}`);

/**
 * A body nested past what Zapier's own runtime can log (it writes the bundle as JSON before
 * perform runs), as Zapier hands it over when it could not parse it: the request itself as
 * `cleanedRequest`, the bytes in `rawRequest`.
 */
const unparsed = (raw: string): BundleParts => ({
  cleanedRequest: { method: 'POST', querystring: {}, headers: {}, content: {} },
  rawRequest: { method: 'POST', querystring: '', content: raw, headers: {} },
});

const perform = (parts: BundleParts) =>
  appTester(
    (z: ZObject, b: Bundle) => triggers.new_contact.operation.perform(z, b),
    fullBundle(parts),
  ) as Promise<Record<string, unknown>[]>;

describe('a webhook nested past the bounds, through perform', () => {
  it('halts on 39 KB of `[`, naming the item, instead of overflowing the stack', async () => {
    const raw = brackets(20_000);
    expect(raw.length).toBe(40_000);
    const error = await caught(() => perform(unparsed(raw)));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(
      `Item 1 of the ISAO webhook is not an event object ("${'['.repeat(32)}"…"]]]]…").`,
    );
  });

  it('skips an event whose data nests 20,000 deep, and delivers the rest of the batch', async () => {
    const raw = `[${good('e1')},${event('e2', `{"id":"c2","x":${objects(20_000)}}`)},${good('e3')}]`;
    const out = await perform(unparsed(raw));
    expect(out.map((record) => record.id)).toEqual(['c_e1', 'c_e3']);
    expect(logged()).toContain(
      'ISAO: skipped an item of the webhook. The ISAO contact.created event "e2" is nested more than 32 levels deep.',
    );
  });

  it('skips an item nested one level past the bound, as Zapier parsed it', async () => {
    // the envelope, then 32 levels of data: 33 in all; beside it, 32 in all
    const deep = event('e5', objects(32));
    const within = event('e6', `{"id":"c6","x":${objects(30)}}`);
    const out = await perform(hookBundle(`[${deep},${within}]`));
    expect(out.map((record) => record.id)).toEqual(['c6']);
    expect(logged()).toEqual([
      'ISAO: skipped an item of the webhook. The ISAO contact.created event "e5" is nested more than 32 levels deep.',
    ]);
  });

  it('skips an item larger than the bound, and delivers the one beside it', async () => {
    const large = event('e7', `{"id":"c7","notes":"${'x'.repeat(1_000_000)}"}`);
    const out = await perform(hookBundle(`[${large},${good('e8')}]`));
    expect(out.map((record) => record.id)).toEqual(['c_e8']);
    expect(logged()).toEqual([
      'ISAO: skipped an item of the webhook. The ISAO contact.created event "e7" is larger than 1,000,000 characters.',
    ]);
  });

  it('halts on a lone event nested past the bound, saying so', async () => {
    const error = await caught(() => perform(unparsed(event('e9', objects(20_000)))));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(
      'The ISAO contact.created event "e9" is nested more than 32 levels deep.',
    );
  });
});
