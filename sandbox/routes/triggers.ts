/**
 * The trigger endpoints: `GET /triggers/:event/sample` (the event's sample record, from the app's
 * table of events) and `GET /triggers/:event/recent?limit&since` (the records of its recent
 * events).
 */
import { isIsaoEvent, sampleOf, type IsaoEvent } from '../../core/events';
import { ApiError } from '../api-error';
import type { Context, Reply, Route } from '../http';
import type { Json } from '../store';
import type { Envelope } from '../webhooks';

const RECENT_DEFAULT = 50;
const RECENT_MAX = 100;

const intParam = (query: URLSearchParams, name: string): number | undefined => {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ApiError(400, `${name} must be a positive whole number`);
  }
  return Number(raw);
};

const triggerEvent = (name: string | undefined): IsaoEvent => {
  if (!isIsaoEvent(name)) throw new ApiError(404, `Unknown event type ${String(name)}`);
  return name;
};

/** @param events the events emitted, oldest first (the sandbox's log, kept current) */
export const triggerRoutes = (events: readonly Envelope[]): Route[] => {
  /** The records of this event type, newest first, each record once (its latest state). */
  const recent = ({ params, query }: Context): Reply => {
    const event = triggerEvent(params[0]);
    const limit = Math.min(intParam(query, 'limit') ?? RECENT_DEFAULT, RECENT_MAX);
    const sinceRaw = query.get('since');
    const since = sinceRaw ? Date.parse(sinceRaw) : -Infinity;
    if (Number.isNaN(since)) throw new ApiError(400, 'since must be an ISO-8601 date-time');
    const seen = new Set<unknown>();
    const records: Json[] = [];
    for (const env of [...events].reverse()) {
      if (records.length >= limit) break;
      if (env.event !== event || Date.parse(env.timestamp) < since || seen.has(env.data.id)) {
        continue;
      }
      seen.add(env.data.id);
      records.push(env.data);
    }
    return { body: records };
  };

  return [
    {
      method: 'GET',
      pattern: /^\/triggers\/([^/]+)\/sample$/,
      permission: 'webhooks:read',
      handle: ({ params }) => ({ body: sampleOf(triggerEvent(params[0])) }),
    },
    {
      method: 'GET',
      pattern: /^\/triggers\/([^/]+)\/recent$/,
      permission: 'webhooks:read',
      handle: recent,
    },
  ];
};
