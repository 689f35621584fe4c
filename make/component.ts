/**
 * What the app's components share: their definitions as layout.ts writes them, the connection
 * every module and webhook uses, and a core call (core/api.ts `IsaoCall`) as a Make request.
 */
import type { IsaoCall } from '../core/api';
import { isRecord } from '../core/inputs';
import type { Json, JsonObject, MakeParam } from './iml';

/** Module types as the local-development layout names them, with Make's type ids. */
export const MODULE_TYPE_IDS = { action: 4, instant_trigger: 10, universal: 12 } as const;
export type ModuleType = keyof typeof MODULE_TYPE_IDS;

export interface ConnectionDef {
  id: string;
  label: string;
  connectionType: 'basic';
  codes: { communication: JsonObject; params: MakeParam[] };
}

export interface WebhookDef {
  id: string;
  label: string;
  webhookType: 'web';
  connection: string;
  codes: { communication: JsonObject; params: MakeParam[]; attach: JsonObject; detach: JsonObject };
}

export interface ModuleDef {
  id: string;
  label: string;
  description: string;
  moduleType: ModuleType;
  actionCrud?: 'create';
  connection: string;
  /** The webhook an instant trigger listens on. */
  webhook?: string;
  codes: {
    communication?: JsonObject;
    staticParams: MakeParam[];
    mappableParams?: MakeParam[];
    interface: MakeParam[];
    samples?: JsonObject;
  };
}

export interface AppDef {
  name: string;
  label: string;
  description: string;
  theme: string;
  language: string;
  base: JsonObject;
  groups: { label: string; modules: string[] }[];
  readme: string;
  connection: ConnectionDef;
  webhooks: WebhookDef[];
  modules: ModuleDef[];
}

export const CONNECTION_ID = 'isao';

/** A value from the core as JSON: plain data only (a function or a symbol would be a bug here). */
export const toJson = (value: unknown): Json => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  throw new Error(`not JSON data: ${typeof value}`);
};

/** A core call as a Make request: its URL under the base, method and JSON body. */
export const request = ({ path, method, body }: IsaoCall): JsonObject => ({
  url: path,
  method,
  ...(body === undefined ? {} : { body: toJson(body) }),
});
