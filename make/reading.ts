/**
 * How a Make webhook reads a request from ISAO: each field of the bundle at its place in the
 * ISAO envelope (core/webhook.ts reads the same places), the signature from its header.
 */
import type { OutputField } from '../core/entities';
import { SIGNATURE_HEADER } from '../core/signatures';
import { mapTree } from './fields';
import { iml, imlKey, type JsonObject } from './iml';

/**
 * Where each field of a trigger bundle comes from in the request ISAO sends: the event's
 * metadata in the envelope (core/webhook.ts reads the same places), the signature header, and
 * any other field in the record (`data`) at its own path.
 */
const FIELD_SOURCES: Readonly<Record<string, string>> = {
  eventId: 'body.metadata.eventId',
  signature: `headers.${imlKey(SIGNATURE_HEADER.toLowerCase())}`,
  isao_event__type: 'body.event',
  isao_event__id: 'body.metadata.eventId',
  isao_event__occurred_at: 'body.timestamp',
  isao_event__source: 'body.metadata.source',
  isao_event__company_id: 'body.metadata.companyId',
  isao_event_key: 'body.metadata.eventId',
};

export const sourceOf = (path: readonly string[]): string =>
  FIELD_SOURCES[path.join('__')] ?? ['body', 'data', ...path].map(imlKey).join('.');

/** The webhook's communication: the bundle, shaped as its interface. */
export const communicationOf = (fields: readonly OutputField[]): JsonObject => ({
  output: mapTree(fields, (path) => iml(sourceOf(path))),
});
