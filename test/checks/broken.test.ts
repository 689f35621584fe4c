/**
 * Each of Zapier's publishing checks (rules.ts, rules-own.ts) must fire, with its id and the
 * offending key, on a deliberately broken copy of the app's evidence.
 */
import { formatFailure, RULES } from './rules';
import { runRule, copy } from './checks.setup';
import { RULES_BROKEN } from './rules.broken';
import { OWN_RULES_BROKEN } from './rules-own.broken';

const BROKEN = [...RULES_BROKEN, ...OWN_RULES_BROKEN];

describe('each check fires on a broken copy, naming its id and the key', () => {
  test.each(BROKEN)('%s: %s', async (id, _what, says, breakIt) => {
    const broken = await copy();
    const key = await breakIt(broken);
    const failures = await runRule(
      RULES.find((r) => r.id === id)!,
      broken,
    );
    const named = failures.filter((f) => f.key === key);
    expect(named.map((f) => f.id)).toEqual([id]);
    expect(formatFailure(named[0]!).startsWith(`${id} ${key}: `)).toBe(true);
    expect(named[0]!.message).toMatch(says);
  });

  test('every check has a broken case', () => {
    expect([...new Set(BROKEN.map(([id]) => id))].sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});
