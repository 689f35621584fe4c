/**
 * `isao webhooks list | subscribe | unsubscribe | prune`: the account's subscriptions through the
 * API client (client.ts), which keeps the core's rules. `subscribe` is ensureSubscription (no
 * orphan, no duplicate); `prune` keeps, for each event and URL, the newest active subscription
 * and removes the rest: the inactive ones ISAO stopped and the duplicates that would deliver
 * every event twice.
 */
import { isIsaoEvent, type IsaoEvent, EVENT_NAMES } from '../../../core/events';
import { newestActive } from '../../../core/subscriptions';
import { IsaoClient, type Subscription } from '../client';
import { UsageError, type Output } from './output';

export const WEBHOOKS_USAGE = `isao webhooks list [--event E] [--url URL]
isao webhooks subscribe URL EVENT... 
isao webhooks unsubscribe ID...
isao webhooks prune [--url URL] [--dry-run]`;

export interface WebhooksArgs {
  positionals: string[];
  event?: string;
  url?: string;
  dryRun: boolean;
}

const eventsOf = (names: readonly string[]): IsaoEvent[] =>
  names.map((name) => {
    if (!isIsaoEvent(name)) {
      throw new UsageError(
        `"${name}" is not an ISAO event; the events are ${EVENT_NAMES.join(', ')}.`,
      );
    }
    return name;
  });

/** `subscribe`'s words: a URL and at least one event after it. */
const urlAndEvents = (words: readonly string[]): words is readonly [string, string, ...string[]] =>
  words.length >= 2;

const row = (s: Subscription): string =>
  [
    s.id,
    (s.event ?? '?').padEnd(19),
    s.active ? 'active  ' : 'inactive',
    s.createdAt ?? '?',
    s.targetUrl ?? '?',
  ].join('  ');

/** Why prune removes one: stopped by ISAO, or a duplicate of the one kept. */
type Pruned = Subscription & { reason: 'inactive' | 'duplicate' };

/** For each event and URL: the one kept and the ones to remove. */
const prunePlan = (all: readonly Subscription[]): { kept: Subscription[]; remove: Pruned[] } => {
  const groups = new Map<string, Subscription[]>();
  for (const item of all) {
    const key = JSON.stringify([item.event, item.targetUrl]);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const kept: Subscription[] = [];
  const remove: Pruned[] = [];
  for (const group of groups.values()) {
    const keep = newestActive(
      // Stryker disable next-line StringLiteral: Date.parse reads any text that is not a date as NaN
      group.map((item) => ({ ...item, createdAt: Date.parse(item.createdAt ?? '') })),
    );
    for (const item of group) {
      if (item.id === keep?.id) kept.push(item);
      else remove.push({ ...item, reason: item.active ? 'duplicate' : 'inactive' });
    }
  }
  return { kept, remove };
};

export const webhooks = async (
  client: IsaoClient,
  { positionals: [action, ...rest], event, url, dryRun }: WebhooksArgs,
  out: Output,
): Promise<void> => {
  if (action === 'list') {
    const events = event === undefined ? undefined : eventsOf([event]);
    const listed = (await client.list()).filter(
      (s) =>
        (events === undefined || s.event === events[0]) &&
        (url === undefined || s.targetUrl === url),
    );
    out.data(listed);
    out.line(listed.length === 0 ? 'No webhook subscriptions.' : listed.map(row).join('\n'));
    return;
  }
  if (action === 'subscribe') {
    if (!urlAndEvents(rest)) {
      throw new UsageError('isao webhooks subscribe needs a URL and at least one event.');
    }
    const [targetUrl, ...names] = rest;
    const ensured = await client.ensureSubscription({ events: eventsOf(names), targetUrl });
    out.data(ensured);
    for (const done of ensured) {
      const how = done.created ? 'subscribed' : 'already subscribed';
      out.line(`${done.event}: ${how} (${done.subscription.id})`);
      if (done.secret !== undefined) out.line(`  signing secret: ${done.secret}`);
      if (done.removed.length > 0) out.line(`  removed: ${done.removed.join(', ')}`);
      if (done.left.length > 0) out.line(`  left in place (age unknown): ${done.left.join(', ')}`);
    }
    return;
  }
  if (action === 'unsubscribe') {
    if (rest.length === 0)
      throw new UsageError('isao webhooks unsubscribe needs a subscription id.');
    const results = [];
    for (const id of rest) results.push(await client.unsubscribe(id));
    out.data(results);
    for (const { id, alreadyGone } of results) {
      out.line(alreadyGone ? `${id}: ISAO no longer had it` : `${id}: removed`);
    }
    return;
  }
  if (action === 'prune') {
    const listed = (await client.list()).filter((s) => url === undefined || s.targetUrl === url);
    const { kept, remove } = prunePlan(listed);
    if (!dryRun) await client.removeAll(remove);
    out.data({ dryRun, kept, removed: remove });
    const verb = dryRun ? 'would remove' : 'removed';
    for (const item of remove) {
      out.line(
        `${verb} ${item.id} (${item.reason}): ${item.event ?? '?'} → ${item.targetUrl ?? '?'}`,
      );
    }
    out.line(`${String(remove.length)} ${verb}, ${String(kept.length)} kept.`);
    return;
  }
  throw new UsageError(`Usage:\n${WEBHOOKS_USAGE}`);
};
