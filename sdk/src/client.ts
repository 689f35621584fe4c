/**
 * ISAO's API from your own code: subscriptions, samples, recent records and Create Contact, under
 * the core's rules (core/call.ts): the base URL must be https (plain http only for this machine),
 * the key goes as a Bearer header to that URL and nowhere else (a redirect is refused), the
 * answers are read as the Zapier and n8n apps read them, and every failure is an IsaoApiError
 * worded for a person, naming the status, the permission or the field, never holding the key.
 * Global fetch only: no dependency.
 */
import {
  API_KEY_HELP,
  DEFAULT_API_URL,
  unwrapData,
  unwrapList,
  type IsaoCall,
} from '../../core/api';
import { callIsao, type SentRequest } from '../../core/call';
import { contactBody, createContactCall, createdContact } from '../../core/contacts';
import type { RawRecord } from '../../core/entities';
import type { EntityRecord } from '../../core/records';
import { REQUEST_TIMEOUT_MS, type Answer } from '../../core/errors';
import { EVENT_NAMES, isIsaoEvent, type IsaoEvent } from '../../core/events';
import type { FilterValues } from '../../core/filters';
import { isRecord, quote, text } from '../../core/inputs';
import {
  createdAt,
  LIST_CALL,
  listedWebhooks,
  newestActive,
  NOT_A_LIST,
  removableBeside,
  subscribeCall,
  subscribed,
  unsubscribeCall,
  type ListedWebhook,
} from '../../core/subscriptions';

/** A call that failed: `status` is ISAO's (0 when no answer came), `code` a stable name. */
export class IsaoApiError extends Error {
  override readonly name = 'IsaoApiError';
  readonly status: number;
  readonly code: string;
  /** The input field at fault, for a value refused before anything was sent. */
  readonly field: string | undefined;
  /** Seconds ISAO asked to wait (429), when it said. */
  readonly retryAfter: number | undefined;

  constructor(
    message: string,
    details: { status: number; code: string; field?: string; retryAfter?: number },
  ) {
    super(message);
    this.status = details.status;
    this.code = details.code;
    this.field = details.field;
    this.retryAfter = details.retryAfter;
  }
}

export interface ClientOptions {
  /** The API key (Settings → API keys in the ISAO dashboard). */
  apiKey: string;
  /** The API's base URL (default: ISAO's, https://staging.isao.io/api/external). */
  baseUrl?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

/** A subscription as ISAO lists it. */
export interface Subscription {
  id: string;
  event: string | null;
  targetUrl: string | null;
  /** False once ISAO stopped it: it delivers nothing. */
  active: boolean;
  /** ISO 8601, null when ISAO did not say. */
  createdAt: string | null;
}

/** A subscription just made: ISAO gives its signing secret only now, when it gives one. */
export interface Subscribed {
  id: string;
  secret: string | undefined;
  /** The subscription as ISAO answered it. */
  subscription: RawRecord;
}

/** What ensureSubscription did for one event. */
export interface Ensured {
  event: IsaoEvent;
  subscription: Subscription;
  /** False when an active subscription for the event and URL was reused. */
  created: boolean;
  /** The new subscription's secret (created only, when ISAO gave one). */
  secret: string | undefined;
  /** The other subscriptions for the event and URL removed: left over, inactive or duplicates. */
  removed: string[];
  /** Others left in place: ISAO did not say when they were made, so any could be the live one. */
  left: string[];
}

export interface ContactInput {
  name: string;
  phoneNumber: string;
  email?: string;
  position?: string;
  currentCompany?: string;
  tags?: string | readonly string[];
}

const asSubscription = (item: ListedWebhook): Subscription => ({
  id: item.id,
  event: item.event ?? null,
  targetUrl: item.targetUrl ?? null,
  active: item.active,
  createdAt: Number.isNaN(item.createdAt) ? null : new Date(item.createdAt).toISOString(),
});

const invalidInput = (field: string, message: string): IsaoApiError =>
  new IsaoApiError(message, { status: 0, code: 'invalid_input', field });

/** The event, checked: a JavaScript caller may pass any text. */
const eventOf = (event: unknown): IsaoEvent => {
  if (isIsaoEvent(event)) return event;
  throw invalidInput(
    'event',
    `${quote(event, 60)} is not an ISAO event; the events are ${EVENT_NAMES.join(', ')}.`,
  );
};

const invalidResponse = (message: string): IsaoApiError =>
  new IsaoApiError(message, { status: 502, code: 'invalid_response' });

export class IsaoClient {
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly fetcher: typeof fetch;

  constructor({ apiKey, baseUrl, fetch: fetcher }: ClientOptions) {
    this.apiKey = apiKey;
    this.baseUrl = baseUrl ?? DEFAULT_API_URL;
    this.fetcher = fetcher ?? globalThis.fetch;
  }

  /** One call: the parsed answer, or an IsaoApiError. */
  private async call(request: IsaoCall): Promise<{ status: number; data: unknown }> {
    if (text(this.apiKey) === undefined) {
      throw new IsaoApiError(`No API key: pass apiKey to IsaoClient. ${API_KEY_HELP}`, {
        status: 0,
        code: 'invalid_api_key',
      });
    }
    // what the answer's headers said, read after the call
    // Stryker disable next-line ObjectLiteral: read only after send set it; undefined ?? NaN is NaN too
    const seen: { retryAfter: string | null } = { retryAfter: null };
    const send = async ({ method, url, headers, body }: SentRequest): Promise<Answer> => {
      const controller = new AbortController();
      const timer = setTimeout(() => {
        controller.abort();
      }, REQUEST_TIMEOUT_MS);
      try {
        const response = await this.fetcher(url, {
          method,
          headers: { ...headers, Authorization: `Bearer ${this.apiKey}` },
          // Stryker disable next-line ConditionalExpression: fetch sends no body for `body: undefined` either
          ...(body === undefined ? {} : { body }),
          redirect: 'manual',
          signal: controller.signal,
        });
        seen.retryAfter = response.headers.get('retry-after');
        return { status: response.status, content: await response.text() };
      } finally {
        clearTimeout(timer);
      }
    };
    const outcome = await callIsao(
      {
        apiKey: this.apiKey,
        baseUrl: this.baseUrl,
        // Stryker disable next-line ArrayDeclaration: the values kept out of messages besides the key; the client holds none
        secrets: [],
        setting: {
          name: 'baseUrl',
          fix: `Pass the ISAO API base URL as baseUrl, for example ${DEFAULT_API_URL}.`,
        },
        redirectFix: 'Check the baseUrl.',
      },
      request,
      send,
    );
    if ('problem' in outcome) {
      throw new IsaoApiError(outcome.problem, { status: 0, code: 'request_failed' });
    }
    if ('failure' in outcome) {
      const { status, code, message } = outcome.failure;
      const wait = Number(seen.retryAfter ?? Number.NaN);
      if (status === 429) {
        const when = Number.isFinite(wait) ? `in ${String(wait)} s` : 'in a minute';
        throw new IsaoApiError(
          `ISAO is limiting this API key's requests (429 Too Many Requests): try again ${when}.`,
          { status, code: 'rate_limited', ...(Number.isFinite(wait) ? { retryAfter: wait } : {}) },
        );
      }
      throw new IsaoApiError(message, { status, code });
    }
    return outcome;
  }

  /** Every subscription ISAO lists for the account (`GET /webhooks`, `webhooks:read`). */
  async list(): Promise<Subscription[]> {
    return (await this.listed()).map(asSubscription);
  }

  private async listed(): Promise<ListedWebhook[]> {
    const listed = listedWebhooks((await this.call(LIST_CALL)).data);
    if (!listed) throw invalidResponse(NOT_A_LIST);
    return listed;
  }

  /** A new subscription of `targetUrl` to `event` (`POST /webhooks/subscribe`, `webhooks:write`). */
  async subscribe(
    event: IsaoEvent,
    targetUrl: string,
    options: { filters?: FilterValues } = {},
  ): Promise<Subscribed> {
    const { data } = await this.call(subscribeCall(eventOf(event), targetUrl, options.filters));
    const answer = subscribed(data);
    if (!answer) {
      throw invalidResponse(
        `ISAO accepted the ${event} subscription but did not return a subscription_id, so it could not be removed later: list the webhooks and remove it by hand.`,
      );
    }
    return { id: answer.id, secret: answer.secret, subscription: answer.subscription };
  }

  /** Removes a subscription; `alreadyGone` when ISAO no longer had it (404, 410). */
  async unsubscribe(id: string): Promise<{ id: string; alreadyGone: boolean }> {
    const { status } = await this.call(unsubscribeCall(id));
    return { id, alreadyGone: status === 404 || status === 410 };
  }

  /**
   * One active subscription of `targetUrl` to each event, and no other for that URL and event.
   * Reads `GET /webhooks` first: an active subscription for the URL and event is reused (the
   * newest), and the others for them (inactive ones, duplicates) are removed. Without one, it
   * subscribes, lists again and removes what is strictly older than the new one, as the Zapier app
   * does (a concurrent caller's newer one stays; one of unknown age is left, in `left`). With
   * `filters` it always subscribes afresh: ISAO's list does not show a subscription's filters.
   */
  async ensureSubscription(options: {
    events: IsaoEvent | readonly IsaoEvent[];
    targetUrl: string;
    filters?: FilterValues;
  }): Promise<Ensured[]> {
    const events = typeof options.events === 'string' ? [options.events] : options.events;
    const ensured: Ensured[] = [];
    for (const event of events.map(eventOf)) {
      const mine = (await this.listed()).filter(
        (item) => item.event === event && item.targetUrl === options.targetUrl,
      );
      const kept = options.filters ? undefined : newestActive(mine);
      if (kept) {
        const removed = await this.removeAll(mine.filter((item) => item !== kept));
        ensured.push({
          event,
          subscription: asSubscription(kept),
          created: false,
          secret: undefined,
          removed,
          left: [],
        });
        continue;
      }
      const made = await this.subscribe(event, options.targetUrl, options);
      const now = (await this.listed()).filter(
        (item) => item.event === event && item.targetUrl === options.targetUrl,
      );
      const own = { id: made.id, createdAt: createdAt(made.subscription) };
      const { removable, unknown, others } = removableBeside(
        now,
        own,
        (other, mine) => other < mine,
      );
      const removed = await this.removeAll(
        others.filter((item) => !item.active || removable.includes(item)),
      );
      const listedOwn = now.find((item) => item.id === made.id);
      ensured.push({
        event,
        subscription: asSubscription(
          listedOwn ?? { ...own, event, targetUrl: options.targetUrl, active: true },
        ),
        created: true,
        secret: made.secret,
        removed,
        left: unknown.filter((item) => item.active).map((item) => item.id),
      });
    }
    return ensured;
  }

  /** Removes each subscription in turn: the ids removed (or already gone). */
  async removeAll(subscriptions: readonly { id: string }[]): Promise<string[]> {
    const removed: string[] = [];
    for (const { id } of subscriptions) removed.push((await this.unsubscribe(id)).id);
    return removed;
  }

  /** The event's sample record (`GET /triggers/:event/sample`, `webhooks:read`). */
  async sample(event: IsaoEvent): Promise<RawRecord> {
    const path = `/triggers/${eventOf(event)}/sample`;
    const data = unwrapData(
      (await this.call({ method: 'GET', path, permission: 'webhooks:read' })).data,
    );
    if (!isRecord(data)) throw invalidResponse(`ISAO answered GET ${path} without a record.`);
    return data;
  }

  /** The event's recent records, newest first (`GET /triggers/:event/recent`, `webhooks:read`). */
  async recent(
    event: IsaoEvent,
    options: { limit?: number; since?: Date | string } = {},
  ): Promise<RawRecord[]> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.since !== undefined) {
      query.set(
        'since',
        options.since instanceof Date ? options.since.toISOString() : options.since,
      );
    }
    const path = `/triggers/${eventOf(event)}/recent`;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: fetch sends `…/recent?` as `…/recent` (seen on the wire)
    const search = query.size > 0 ? `?${query.toString()}` : '';
    const call: IsaoCall = { method: 'GET', path: `${path}${search}`, permission: 'webhooks:read' };
    const list = unwrapList((await this.call(call)).data);
    if (!list) throw invalidResponse(`ISAO answered GET ${path} without a list.`);
    return list.filter(isRecord);
  }

  /**
   * Creates a contact (`POST /contacts`, `contacts:write`) under Create Contact's rules on every
   * platform: a value that cannot be sent is refused before anything is sent, naming its field
   * (`field`); the contact comes back as the New Contact trigger gives it.
   */
  async createContact(input: ContactInput): Promise<EntityRecord> {
    const checked = contactBody({ ...input });
    if ('field' in checked) throw invalidInput(checked.field, checked.message);
    const { data } = await this.call(createContactCall(checked.body));
    const created = createdContact(checked.body, data);
    if ('message' in created) throw invalidResponse(created.message);
    return created.record;
  }
}
