/**
 * What the web build gives the core in place of `node:crypto` (scripts/sdk/build.js maps the
 * import here), so `@isao/webhooks/web` loads where there is none (Workers, Deno, browsers). The
 * core hashes synchronously in one place, its record shape (a custom field's label, a record
 * without an id: `createHash('sha256').update(text).digest('hex')`), which plain SHA-256 serves.
 * The core's own signature check is never called on the web path (it signs with
 * `crypto.subtle`, verify-web.ts), so its HMAC and compare are refused here, loudly.
 */
import { concatBytes, hex } from './bytes';
import { sha256 } from './sha256';

const encoder = new TextEncoder();

interface Hash {
  update: (data: string | Uint8Array) => Hash;
  digest: (encoding: 'hex') => string;
}

/** `createHash('sha256')` as the core uses it: text or bytes in, hex out. */
export const createHash = (algorithm: string): Hash => {
  if (algorithm !== 'sha256') {
    throw new Error(`The web build of @isao/webhooks has only sha256, not ${algorithm}.`);
  }
  const parts: Uint8Array[] = [];
  const hash: Hash = {
    update: (data) => {
      parts.push(typeof data === 'string' ? encoder.encode(data) : data);
      return hash;
    },
    digest: () => hex(sha256(concatBytes(parts))),
  };
  return hash;
};

const unavailable = (name: string) => (): never => {
  throw new Error(
    `${name} is not available in the web build of @isao/webhooks: it verifies with crypto.subtle.`,
  );
};

export const createHmac = unavailable('createHmac');
export const timingSafeEqual = unavailable('timingSafeEqual');
