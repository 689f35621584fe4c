/**
 * The signature header read without node's Buffer, for the web path: the same 32-byte
 * HMAC-SHA256 forms the core accepts (core/signatures.ts): 64 hex digits in either case, or
 * base64/base64url, padded or not, each optionally after `sha256=` in any case. Base64 is read
 * as node reads it (the bits past the 32nd byte are dropped), so both paths accept exactly the
 * same headers: the conformance vectors hold them to it.
 */

const SCHEME_PREFIX = /^sha256=/i;
const HEX_DIGEST = /^[0-9a-f]{64}$/i;
/** Base64 or base64url, its characters before any padding captured. */
const BASE64 = /^([A-Za-z0-9+/_-]+)={0,2}$/;
/** 32 bytes are 43 base64 characters (258 bits, the last 2 dropped), before any padding. */
const BASE64_DIGEST_CHARS = 43;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SHA256_BYTES = 32;

const fromHex = (hex: string): Uint8Array =>
  Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16),
  );

/** Exactly 43 base64 characters (no padding) as 32 bytes. */
const fromBase64 = (chars: string): Uint8Array => {
  const bytes = new Uint8Array(SHA256_BYTES);
  let bits = 0;
  let pending = 0;
  let length = 0;
  for (const char of chars) {
    pending = (pending << 6) | ALPHABET.indexOf(char);
    bits += 6;
    // Stryker disable next-line EqualityOperator: with `> 8` a byte complete at 8 bits is written at the next character (14 bits) instead, the same byte; 43 characters never end at 8
    if (bits >= 8) {
      bits -= 8;
      bytes[length] = (pending >> bits) & 0xff;
      length += 1;
      pending &= (1 << bits) - 1;
    }
  }
  return bytes;
};

/** The 32 bytes a signature header carries; undefined when it is not one. */
export const digestOf = (header: string): Uint8Array | undefined => {
  const signature = header.replace(SCHEME_PREFIX, '');
  if (HEX_DIGEST.test(signature)) return fromHex(signature);
  const unpadded = BASE64.exec(signature)?.[1];
  if (unpadded === undefined) return undefined;
  const chars = unpadded.replace(/-/g, '+').replace(/_/g, '/');
  return chars.length === BASE64_DIGEST_CHARS ? fromBase64(chars) : undefined;
};

/** Whether two digests are equal, in time that depends only on their length. */
export const sameDigest = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  return a.reduce((difference, byte, i) => difference | (byte ^ (b[i] ?? 0)), 0) === 0;
};
