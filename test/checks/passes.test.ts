/**
 * Zapier's publishing checks (rules.ts, rules-own.ts) over the app as Zapier sees it (evidence.ts):
 * the app must pass every one.
 */
import App from '../../src';
import { liveEvidence } from './evidence';
import { MINIMAL_RUN } from './definition';
import { formatFailure, RULES } from './rules';
import { theStaticEvidence, runRule } from './checks.setup';

describe('the app passes every check', () => {
  test.each(RULES.map((rule) => [rule.id, rule.description, rule] as const))(
    '%s: %s',
    async (_id, _description, rule) => {
      expect((await runRule(rule, await theStaticEvidence())).map(formatFailure)).toEqual([]);
    },
  );

  test('the checks saw every trigger and create, and ran them live', async () => {
    const { definition } = await theStaticEvidence();
    const { produced = {}, subscriptions = {} } = await liveEvidence(definition);
    const triggers = Object.keys(definition.triggers ?? {});
    expect(triggers.length).toBeGreaterThan(0);
    expect(definition.authentication?.fields?.length).toBeGreaterThan(0);
    expect(definition.authentication?.connectionLabel).toBeDefined();
    expect(Object.keys(definition.creates ?? {})).toEqual(Object.keys(App.creates));
    expect(Object.keys(subscriptions).sort()).toEqual(triggers.sort());
    for (const key of triggers) {
      expect(Object.keys(produced[`triggers.${key}`] ?? {})).toEqual([
        'perform',
        'performList',
        MINIMAL_RUN,
      ]);
    }
    for (const key of Object.keys(definition.creates ?? {})) {
      expect(produced[`creates.${key}`]?.perform).toEqual({ records: [expect.any(Object)] });
      expect(produced[`creates.${key}`]?.[MINIMAL_RUN]).toEqual({ records: [expect.any(Object)] });
    }
  });
});
