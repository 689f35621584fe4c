/** Subscribing and unsubscribing (src/lib/subscriptions.ts) leave no orphan subscription at ISAO. */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { CLEANUP_BUDGET_MS, CLEANUP_CALL_TIMEOUT_MS } from '../../src/lib/subscriptions';
import {
  api,
  apiPath,
  appError,
  appTester,
  authData,
  API_KEY,
  caught,
  errorText,
  fullBundle,
  type BundleParts,
} from '../helpers';
import {
  type Op,
  type Out,
  operationOf,
  HOOK,
  EARLIER,
  NOW,
  listed,
  listWebhooks,
  unsubscribes,
} from './setup';

describe('no orphan subscription: new_contact', () => {
  const EVENT = 'contact.created';
  const LATER = '2024-11-08T10:31:00.000Z';
  /** ISAO's answer to the subscribe call: the subscription Zapier stores. */
  const NEW = { id: 'hook_new', subscription_id: 'sub_new', event: EVENT, created_at: NOW };

  /** Runs an operation through the runtime; returns its result and the lines it logged. */
  const runLogged = async (op: Op, bundle: BundleParts) => {
    const lines: string[] = [];
    const result = await appTester(
      async (z: ZObject, b: Bundle) => {
        jest.spyOn(z.console, 'log').mockImplementation((line: unknown) => {
          lines.push(String(line));
        });
        return operationOf('new_contact', op)(z, b);
      },
      fullBundle({ authData, ...bundle }),
    );
    return { result, lines };
  };
  const subscribed = (answer: Out = NEW) => {
    api().post(apiPath('/webhooks/subscribe')).reply(201, { success: true, data: answer });
    return runLogged('performSubscribe', { targetUrl: HOOK });
  };
  const unsubscribed = (subscribeData?: Out) =>
    runLogged('performUnsubscribe', {
      targetUrl: HOOK,
      ...(subscribeData ? { subscribeData } : {}),
    });
  const LIST_FAILED = `ISAO: could not list the webhooks (GET /webhooks, which needs the \`webhooks:read\` permission) to remove other ${EVENT} subscriptions for this Zap's hook URL:`;
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** A log line: `start`, then a reason (errors.ts words it) holding `why`, then `end`. */
  const logged = (start: string, why: string, end: string) =>
    expect.stringMatching(
      new RegExp(`^${escaped(start)} .*${escaped(why)}.* ${escaped(end)}$`),
    ) as unknown;
  const LEFT_OVER =
    'Any left over may send this Zap duplicate events until deleted in the ISAO dashboard.';
  const named = (ids: string[]) => ids.map((id) => `"${id}"`).join(', ');
  const removedLine = (...ids: string[]) =>
    `ISAO: removed ${String(ids.length)} other ${EVENT} subscription(s) for this Zap's hook URL: ${named(ids)}.`;
  /** The line naming those left in place because an age is unknown (`whose`: theirs or the Zap's own). */
  const leftLine = (whose: 'they were' | "this Zap's own subscription was", ...ids: string[]) =>
    `ISAO: left ${String(ids.length)} other ${EVENT} subscription(s) for this Zap's hook URL in place (${named(ids)}): ISAO did not say when ${whose} created, so any of them could be this Zap's live one. ${LEFT_OVER}`;
  const skippedLine = (...ids: string[]) =>
    `ISAO: did not remove ${String(ids.length)} other ${EVENT} subscription(s) for this Zap's hook URL (${named(ids)}): the clean-up's 10 s were used up. ${LEFT_OVER}`;

  describe('subscribe', () => {
    it('removes the strictly older subscriptions for the same event and hook URL, keeping the one it returns; an undated one is left, logged', async () => {
      listWebhooks(
        listed('sub_retried', EVENT),
        listed('sub_new', EVENT, NOW),
        listed('sub_undated', EVENT, 'not a date'),
        listed('sub_other_zap', EVENT, EARLIER, 'https://hooks.zapier.com/hooks/standard/1/other'),
        listed('sub_other_event', 'contact.updated'),
        { id: 'hook_without_subscription_id', event_type: EVENT, target_url: HOOK },
        null,
        'sub_not_an_object',
      );
      unsubscribes('sub_retried');
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      // sub_undated may be a concurrent retry's, newer than this one: removing it could leave the
      // Zap without a subscription when that retry removes this one
      expect(lines).toEqual([removedLine('sub_retried'), leftLine('they were', 'sub_undated')]);
    });

    it('leaves one created at the same time or later alone: a concurrent retry’s, which removes this one', async () => {
      listWebhooks(
        listed('sub_same_time', EVENT, NOW),
        listed('sub_new', EVENT, NOW),
        listed('sub_later', EVENT, LATER),
      );
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([]);
    });

    const UNDATED = { id: NEW.id, subscription_id: NEW.subscription_id, event: EVENT };

    it('an answer without created_at: its age is read from its own entry in the list', async () => {
      listWebhooks(
        listed('sub_retried', EVENT),
        listed('sub_new', EVENT, NOW),
        listed('sub_later', EVENT, LATER),
      );
      unsubscribes('sub_retried');
      const { result, lines } = await subscribed(UNDATED);
      expect(result).toEqual(UNDATED);
      expect(lines).toEqual([removedLine('sub_retried')]);
    });

    it('two concurrent subscribes without created_at: each leaves the other (logged), so one always stays', async () => {
      listWebhooks(listed('sub_new', EVENT, 'not a date'), listed('sub_retried', EVENT, 'soon'));
      const first = await subscribed(UNDATED);
      expect(first.result).toEqual(UNDATED);
      expect(first.lines).toEqual([leftLine("this Zap's own subscription was", 'sub_retried')]);

      const retry = { ...UNDATED, id: 'hook_retried', subscription_id: 'sub_retried' };
      listWebhooks(listed('sub_new', EVENT, 'not a date'), listed('sub_retried', EVENT, 'soon'));
      const second = await subscribed(retry);
      expect(second.result).toEqual(retry);
      expect(second.lines).toEqual([leftLine("this Zap's own subscription was", 'sub_new')]);
    });

    it('reads the list from an envelope with items (`{success, data: {items, total}}`)', async () => {
      api()
        .get(apiPath('/webhooks'))
        .reply(200, {
          success: true,
          data: { items: [listed('sub_retried', EVENT), listed('sub_new', EVENT, NOW)], total: 2 },
        });
      unsubscribes('sub_retried');
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([removedLine('sub_retried')]);
    });

    it('never logs a listed id that is a secret (the API key)', async () => {
      listWebhooks(listed(API_KEY, EVENT, 'not a date'), listed(`${API_KEY}_old`, EVENT));
      unsubscribes(`${API_KEY}_old`, 500);
      const { lines } = await subscribed();
      expect(lines).toEqual([
        expect.stringContaining('subscription "[redacted]_old" for this Zap'),
        leftLine('they were', '[redacted]'),
      ]);
      expect(lines.join('\n')).not.toContain(API_KEY);
    });

    describe('the clean-up keeps subscribe far from Zapier’s time limit', () => {
      /** Date.now, moved only by the test: the clean-up's budget counts on it. */
      let clock: number;
      beforeEach(() => {
        clock = Date.now();
        jest.spyOn(Date, 'now').mockImplementation(() => clock);
      });

      it('removals not started within the 10 s budget are skipped and logged; the subscribe returns its subscription', async () => {
        listWebhooks(listed('sub_a', EVENT), listed('sub_b', EVENT), listed('sub_c', EVENT));
        // sub_a's removal answers 10 s after the clean-up began
        api()
          .delete(apiPath('/webhooks/unsubscribe'), { subscription_id: 'sub_a' })
          .reply(() => {
            clock += CLEANUP_BUDGET_MS;
            return [200, { success: true }];
          });
        const { result, lines } = await subscribed();
        expect(result).toEqual(NEW);
        expect(lines).toEqual([removedLine('sub_a'), skippedLine('sub_b', 'sub_c')]);
      });

      it('a removal gets only what is left of the budget: one that does not answer in time is logged', async () => {
        api()
          .get(apiPath('/webhooks'))
          .reply(() => {
            clock += CLEANUP_BUDGET_MS - 200; // 0.2 s left
            return [200, { success: true, data: [listed('sub_a', EVENT)] }];
          });
        api()
          .delete(apiPath('/webhooks/unsubscribe'), { subscription_id: 'sub_a' })
          .delay(2000)
          .reply(200, { success: true });
        const { result, lines } = await subscribed();
        expect(result).toEqual(NEW);
        expect(lines).toEqual([
          `ISAO: could not remove the other ${EVENT} subscription "sub_a" for this Zap's hook URL (DELETE /webhooks/unsubscribe, which needs the \`webhooks:write\` permission): The ISAO API at staging.isao.io did not answer within 0.2 seconds. It may send this Zap duplicate events until deleted in the ISAO dashboard.`,
        ]);
      });

      it(`each clean-up call waits at most ${String(CLEANUP_CALL_TIMEOUT_MS / 1000)} s`, async () => {
        api()
          .get(apiPath('/webhooks'))
          .delay(CLEANUP_CALL_TIMEOUT_MS + 500)
          .reply(200, { success: true, data: [] });
        const { result, lines } = await subscribed();
        expect(result).toEqual(NEW);
        expect(lines).toEqual([
          `${LIST_FAILED} The ISAO API at staging.isao.io did not answer within 5 seconds. ${LEFT_OVER}`,
        ]);
      }, 15_000);
    });

    it('a list refused (403, the key lacks webhooks:read) is logged, and the subscribe succeeds', async () => {
      api()
        .get(apiPath('/webhooks'))
        .reply(403, { error: { message: 'Insufficient scope' } });
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([
        logged(LIST_FAILED, '(403 Forbidden: Insufficient scope)', LEFT_OVER),
      ]);
    });

    it('a list answer that is not a list is logged, and the subscribe succeeds', async () => {
      api()
        .get(apiPath('/webhooks'))
        .reply(200, { success: true, data: { count: 0 } });
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([
        `${LIST_FAILED} ISAO answered GET /webhooks without a list of subscriptions. ${LEFT_OVER}`,
      ]);
    });

    it('a removal that fails is logged, the rest are removed (404 and 410 count as removed), and the subscribe succeeds', async () => {
      listWebhooks(
        listed('sub_a', EVENT),
        listed('sub_b', EVENT),
        listed('sub_c', EVENT),
        listed('sub_d', EVENT),
      );
      unsubscribes('sub_a', 500);
      unsubscribes('sub_b', 404);
      unsubscribes('sub_c', 410);
      unsubscribes('sub_d');
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([
        logged(
          `ISAO: could not remove the other ${EVENT} subscription "sub_a" for this Zap's hook URL (DELETE /webhooks/unsubscribe, which needs the \`webhooks:write\` permission):`,
          '(500)',
          'It may send this Zap duplicate events until deleted in the ISAO dashboard.',
        ),
        removedLine('sub_b', 'sub_c', 'sub_d'),
      ]);
    });

    it('without a hook URL, lists nothing', async () => {
      api().post(apiPath('/webhooks/subscribe')).reply(201, { success: true, data: NEW });
      const { result, lines } = await runLogged('performSubscribe', {});
      expect(result).toEqual(NEW);
      expect(lines).toEqual([]);
    });
  });

  describe('unsubscribe', () => {
    it('removes the stored subscription, then the others for its event and hook URL created no later than it', async () => {
      unsubscribes('sub_new');
      listWebhooks(
        listed('sub_new', EVENT, NOW),
        listed('sub_retried', EVENT),
        listed('sub_same_time', EVENT, NOW),
        listed('sub_later', EVENT, LATER),
        listed('sub_gone', EVENT),
        listed('sub_other_zap', EVENT, EARLIER, 'https://hooks.zapier.com/hooks/standard/1/other'),
        listed('sub_other_event', 'contact.updated'),
      );
      unsubscribes('sub_retried');
      unsubscribes('sub_same_time');
      unsubscribes('sub_gone', 410);
      const { result, lines } = await unsubscribed(NEW);
      // sub_later is a later subscribe's under the same hook URL (the Zap turned off and on): live
      expect(result).toEqual({
        success: true,
        message: 'Webhook unsubscribed successfully',
        subscription_id: 'sub_new',
        already_removed: false,
        also_removed: ['sub_retried', 'sub_same_time', 'sub_gone'],
      });
      expect(lines).toEqual([removedLine('sub_retried', 'sub_same_time', 'sub_gone')]);
    });

    it('subscribeData without created_at: the age is read from the list, else every other one is left (logged)', async () => {
      const undated = { id: NEW.id, subscription_id: NEW.subscription_id };
      unsubscribes('sub_new');
      listWebhooks(
        listed('sub_new', EVENT, NOW),
        listed('sub_retried', EVENT),
        listed('sub_later', EVENT, LATER),
      );
      unsubscribes('sub_retried');
      const dated = await unsubscribed(undated);
      expect(dated.result).toMatchObject({ also_removed: ['sub_retried'] });
      expect(dated.lines).toEqual([removedLine('sub_retried')]);

      unsubscribes('sub_new');
      listWebhooks(listed('sub_retried', EVENT), listed('sub_later', EVENT, LATER));
      const unknown = await unsubscribed(undated);
      expect(unknown.result).toMatchObject({ also_removed: [] });
      expect(unknown.lines).toEqual([
        leftLine("this Zap's own subscription was", 'sub_retried', 'sub_later'),
      ]);
    });

    it('a list or a removal that fails is logged, and the Zap is still turned off', async () => {
      unsubscribes('sub_new', 404);
      api().get(apiPath('/webhooks')).reply(503, {});
      const listFailed = await unsubscribed(NEW);
      expect(listFailed.result).toMatchObject({ already_removed: true, also_removed: [] });
      expect(listFailed.lines).toEqual([logged(LIST_FAILED, '(503)', LEFT_OVER)]);

      unsubscribes('sub_new');
      listWebhooks(listed('sub_retried', EVENT));
      unsubscribes('sub_retried', 403);
      const removalFailed = await unsubscribed(NEW);
      expect(removalFailed.result).toMatchObject({ already_removed: false, also_removed: [] });
      expect(removalFailed.lines).toEqual([
        expect.stringContaining(`could not remove the other ${EVENT} subscription "sub_retried"`),
      ]);
    });

    describe('without subscribeData, but with the hook URL', () => {
      const NO_ID = `ISAO: this Zap had no ISAO subscription id for ${EVENT} (subscribeData is missing); removed the`;

      it('removes every subscription ISAO lists for its event and hook URL', async () => {
        listWebhooks(
          listed('sub_a', EVENT),
          listed('sub_b', EVENT, LATER),
          listed(
            'sub_other_zap',
            EVENT,
            EARLIER,
            'https://hooks.zapier.com/hooks/standard/1/other',
          ),
          listed('sub_other_event', 'contact.updated'),
        );
        unsubscribes('sub_a');
        unsubscribes('sub_b', 404);
        const { result, lines } = await unsubscribed();
        expect(result).toEqual({
          subscription_id: null,
          already_removed: false,
          also_removed: ['sub_a', 'sub_b'],
        });
        expect(lines).toEqual([`${NO_ID} 2 subscription(s) ISAO listed for its hook URL.`]);
      });

      it('with none listed, there is nothing left to remove: done', async () => {
        listWebhooks(listed('sub_other_zap', EVENT, EARLIER, 'https://hooks.zapier.com/x'));
        const { result, lines } = await unsubscribed();
        expect(result).toEqual({ subscription_id: null, already_removed: true, also_removed: [] });
        expect(lines).toEqual([`${NO_ID} 0 subscription(s) ISAO listed for its hook URL.`]);
      });

      it('a list or a removal that fails fails the call, naming why (nothing would find them later)', async () => {
        api()
          .get(apiPath('/webhooks'))
          .reply(403, { error: { message: 'Insufficient scope' } });
        const refused = await caught(() => unsubscribed());
        expect(appError(refused)).toMatchObject({ code: 'missing_permission', status: 403 });
        expect(errorText(refused)).toContain('lacks the `webhooks:read` permission');

        listWebhooks(listed('sub_a', EVENT));
        unsubscribes('sub_a', 403);
        const failed = await caught(() => unsubscribed());
        expect(errorText(failed)).toContain('lacks the `webhooks:write` permission');

        api().get(apiPath('/webhooks')).reply(200, { success: true, data: null });
        const unreadable = await caught(() => unsubscribed());
        expect(appError(unreadable)).toEqual({
          message: 'ISAO answered GET /webhooks without a list of subscriptions.',
          code: 'invalid_response',
          status: 502,
        });
      });
    });
  });
});
