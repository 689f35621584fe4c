/**
 * Records as n8n's item data. An ISAO record is JSON (it came from JSON and is shaped from it),
 * but its type is the core's `Record<string, unknown>`, and n8n's `IDataObject` admits no
 * function, symbol or bigint: checking each value proves it is data instead of asserting so.
 */
import type { GenericValue, IDataObject } from 'n8n-workflow';

/** A value as item data: a bigint as its digits, what JSON drops (undefined, a function) as null. */
const dataValue = (value: unknown): GenericValue => {
  if (typeof value === 'object') return value; // null included
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return typeof value === 'bigint' ? value.toString() : null;
};

/** A record as n8n's item data. */
export const asDataObject = (record: Record<string, unknown>): IDataObject =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, dataValue(value)]));
