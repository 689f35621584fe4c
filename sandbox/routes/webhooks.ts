/**
 * The webhook endpoints: `POST /webhooks/subscribe` (an event, a target URL and optional
 * `filters`), `DELETE /webhooks/unsubscribe`, `GET /webhooks` (the active subscriptions, in the
 * documented shape), and the sandbox-only `GET /sandbox/deliveries` (the delivery attempts so far).
 */
import { randomUUID } from 'node:crypto';
import { EVENT_NAMES, isIsaoEvent } from '../../core/events';
import { FILTERS, type FilterKey, type FilterValues } from '../../core/filters';
import { isRecord } from '../../core/inputs';
import { ApiError, type FieldError } from '../api-error';
import type { Context, Reply, Route } from '../http';
import {
  MAX_FILTER_VALUE_LENGTH,
  MAX_FILTER_VALUES,
  MAX_TARGET_URL_LENGTH,
  type SandboxLimits,
} from '../limits';
import type { DeliveryAttempt, Subscription } from '../webhooks';

const FILTER_KEYS = Object.keys(FILTERS) as FilterKey[];
const isFilterKey = (key: string): key is FilterKey => Object.hasOwn(FILTERS, key);
const isTextList = (value: unknown): value is string[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.length <= MAX_FILTER_VALUES &&
  value.every(
    (item: unknown) =>
      typeof item === 'string' &&
      item.trim() !== '' &&
      item.trim().length <= MAX_FILTER_VALUE_LENGTH,
  );

/**
 * A subscription's `filters`: an object with any of the app's filter keys (core/filters.ts),
 * each a non-empty list of non-blank strings (kept trimmed), within the sandbox's size limits. Problems go to `errors`, one per
 * field; undefined when there is no filter.
 */
const readFilters = (raw: unknown, errors: FieldError[]): FilterValues | undefined => {
  if (raw === undefined) return undefined;
  const allowed = `filters may only contain ${FILTER_KEYS.join(', ')}`;
  if (!isRecord(raw)) {
    errors.push({ field: 'filters', message: `${allowed}, as an object` });
    return undefined;
  }
  const unknown = Object.keys(raw).filter((key) => !isFilterKey(key));
  if (unknown.length > 0) {
    errors.push({ field: 'filters', message: `${allowed}, not ${unknown.join(', ')}` });
    return undefined;
  }
  const filters: FilterValues = {};
  for (const key of FILTER_KEYS) {
    const values = raw[key];
    if (values === undefined) continue;
    if (!isTextList(values)) {
      errors.push({
        field: `filters.${key}`,
        message: `filters.${key} must be a list of 1 to ${String(MAX_FILTER_VALUES)} non-blank strings of at most ${String(MAX_FILTER_VALUE_LENGTH)} characters`,
      });
      continue;
    }
    filters[key] = values.map((value) => value.trim());
  }
  return Object.keys(filters).length > 0 ? filters : undefined;
};

/** A subscribe call's target_url: an http(s) URL within the length limit. */
const readTarget = (raw: unknown, errors: FieldError[]): URL | undefined => {
  let target: URL | undefined;
  try {
    target = typeof raw === 'string' ? new URL(raw) : undefined;
  } catch {
    target = undefined;
  }
  if (!target || !['http:', 'https:'].includes(target.protocol)) {
    errors.push({ field: 'target_url', message: 'target_url must be an http(s) URL' });
  } else if (target.href.length > MAX_TARGET_URL_LENGTH) {
    errors.push({
      field: 'target_url',
      message: `target_url must be at most ${String(MAX_TARGET_URL_LENGTH)} characters`,
    });
  }
  return target;
};

export interface WebhookState {
  /** The active subscriptions, by subscription_id. */
  subscriptions: Map<string, Subscription>;
  limits: Pick<SandboxLimits, 'subscriptions'>;
  attempts: readonly DeliveryAttempt[];
}

export const webhookRoutes = ({ subscriptions, limits, attempts }: WebhookState): Route[] => {
  let hookCount = 0;

  const subscribe = ({ body }: Context): Reply => {
    const errors: FieldError[] = [];
    if (!isIsaoEvent(body.event)) {
      errors.push({ field: 'event', message: `event must be one of: ${EVENT_NAMES.join(', ')}` });
    }
    const target = readTarget(body.target_url, errors);
    const filters = readFilters(body.filters, errors);
    if (errors.length > 0 || !target || !isIsaoEvent(body.event)) {
      throw new ApiError(422, 'Invalid webhook subscription', errors);
    }
    if (subscriptions.size >= limits.subscriptions) {
      throw new ApiError(
        409,
        `This account already has ${String(limits.subscriptions)} webhook subscriptions, the sandbox's limit: unsubscribe one first`,
      );
    }
    hookCount += 1;
    const subscription: Subscription = {
      id: `hook_${String(hookCount)}`,
      subscription_id: `sub_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      event: body.event,
      target_url: target.href,
      ...(filters ? { filters } : {}),
      created_at: new Date().toISOString(),
    };
    subscriptions.set(subscription.subscription_id, subscription);
    return { status: 201, body: { success: true, data: subscription } };
  };

  const unsubscribe = ({ body, query }: Context): Reply => {
    const id = body.subscription_id ?? query.get('subscription_id');
    if (typeof id !== 'string' || !id) {
      throw new ApiError(422, 'Validation failed', [
        { field: 'subscription_id', message: 'subscription_id is required' },
      ]);
    }
    if (!subscriptions.delete(id)) throw new ApiError(404, `Subscription ${id} not found`);
    return { body: { success: true, message: 'Webhook unsubscribed successfully' } };
  };

  /** Exactly the documented item: the event as `event_type`, no filters. */
  const listWebhooks = (): Reply => ({
    body: {
      success: true,
      data: [...subscriptions.values()].map((sub) => ({
        id: sub.id,
        subscription_id: sub.subscription_id,
        event_type: sub.event,
        target_url: sub.target_url,
        is_active: sub.active !== false,
        created_at: sub.created_at,
      })),
    },
  });

  return [
    {
      method: 'POST',
      pattern: /^\/webhooks\/subscribe$/,
      permission: 'webhooks:write',
      handle: subscribe,
    },
    {
      method: 'DELETE',
      pattern: /^\/webhooks\/unsubscribe$/,
      permission: 'webhooks:write',
      handle: unsubscribe,
    },
    { method: 'GET', pattern: /^\/webhooks$/, permission: 'webhooks:read', handle: listWebhooks },
    {
      method: 'GET',
      pattern: /^\/sandbox\/deliveries$/,
      handle: () => ({ body: { success: true, data: attempts } }),
    },
  ];
};
