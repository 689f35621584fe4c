/**
 * What a deploy remembers of one Make account (make/deployments/<zone>.json): the names Make gave
 * and a digest of everything it uploaded. A step is written down only once Make has answered it,
 * so the map never claims what Make does not hold, and the next run does what is missing.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRecord } from '../core/inputs';
import { jsonText } from './layout';
import type { DeployComponent } from './manifest';

export interface AppRef {
  name: string;
  version: number;
}

/** What a deploy remembers of one Make account: Make's names, and what it last uploaded. */
export interface DeployState {
  app?: AppRef;
  /** Local id → Make's name, per kind (modules keep the name given to them). */
  names: Record<DeployComponent['kind'], Record<string, string>>;
  /** What was uploaded (a section, a component's links), by a key naming it → its digest. */
  digests: Record<string, string>;
}

export const emptyState = (): DeployState => ({
  names: { connection: {}, webhook: {}, module: {} },
  digests: {},
});

const recordOfTexts = (value: unknown): Record<string, string> =>
  isRecord(value)
    ? Object.fromEntries(
        Object.entries(value).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
      )
    : {};

/** The state kept in `file`, or an empty one (nothing deployed to that account yet). */
export const loadState = (file: string): DeployState => {
  if (!fs.existsSync(file)) return emptyState();
  // Stryker disable next-line StringLiteral: without an encoding it is a Buffer, which JSON.parse reads as UTF-8 text
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${file} is not a deployment map`);
  const names = isRecord(parsed.names) ? parsed.names : {};
  const app = isRecord(parsed.app) ? parsed.app : undefined;
  return {
    ...(app && typeof app.name === 'string' && typeof app.version === 'number'
      ? { app: { name: app.name, version: app.version } }
      : {}),
    names: {
      connection: recordOfTexts(names.connection),
      webhook: recordOfTexts(names.webhook),
      module: recordOfTexts(names.module),
    },
    digests: recordOfTexts(parsed.digests),
  };
};

/** Writes the state to `file` (its folder created when missing). */
export const saveState = (file: string, state: DeployState): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, jsonText(state));
};

/** What the map keeps of an upload: a digest of what was sent. */
export const digest = (content: string): string =>
  createHash('sha256').update(content).digest('hex');
