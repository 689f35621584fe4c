/**
 * What the web path computes without node: the signature header's bytes (digest.ts), which must
 * be accepted exactly where the core's node reading accepts them, and the plain SHA-256 its
 * build gives the core's record shape (sha256.ts, crypto-web.ts), which must be node's.
 */
import { createHash, createHmac } from 'node:crypto';
import { signatureProblem } from '../../core/signatures';
import {
  createHash as webCreateHash,
  createHmac as webCreateHmac,
  timingSafeEqual,
} from '../../sdk/src/crypto-web';
import { digestOf, sameDigest } from '../../sdk/src/digest';
import { sha256 } from '../../sdk/src/sha256';
import { pseudoRandomBytes } from './seeded';

const randomBytes = pseudoRandomBytes('digest');

const SECRET = 'whsec_digest';
const BODY = '{"event":"contact.created"}';
const DIGEST = createHmac('sha256', SECRET).update(BODY).digest();

/** The forms of one digest, and damaged copies of them. */
const forms = (digest: Buffer): string[] => {
  const b64 = digest.toString('base64');
  const url = digest.toString('base64url');
  const hex = digest.toString('hex');
  const base = [
    b64,
    b64.replace(/=+$/, ''),
    `${b64.replace(/=+$/, '')}==`,
    url,
    `${url}=`,
    hex,
    hex.toUpperCase(),
    `sha256=${hex}`,
    `Sha256=${b64}`,
  ];
  const damaged = base.flatMap((form) => [
    form.slice(1),
    `${form}A`,
    `${form}==`,
    form.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
    `sha1=${form}`,
    ` ${form}`,
    form.replace(/[A-Za-z]/, '!'),
  ]);
  return [...base, ...damaged];
};

describe('digestOf (the web path reading the signature header)', () => {
  it('accepts exactly what the core accepts, as the same bytes', () => {
    const digests = [DIGEST, ...Array.from({ length: 40 }, () => randomBytes(32))];
    for (const digest of digests) {
      for (const header of forms(digest)) {
        const core = signatureProblem(SECRET, BODY, header);
        const web = digestOf(header);
        expect({ header, malformed: web === undefined }).toEqual({
          header,
          malformed: core?.kind === 'malformed',
        });
        if (web !== undefined) {
          // the core accepts it as this body's signature exactly when its bytes are the HMAC's
          expect({ header, matches: sameDigest(web, DIGEST) }).toEqual({
            header,
            matches: core === undefined,
          });
        }
      }
    }
  });

  it('reads base64 as node does, dropping the bits past the 32nd byte', () => {
    const b64 = DIGEST.toString('base64').replace(/=+$/, '');
    const last = b64.charAt(42);
    // the last character carries 4 bits of the 32nd byte and 2 that are dropped
    const sibling = `${b64.slice(0, 42)}${String.fromCharCode(last.charCodeAt(0) ^ 1)}`;
    expect(Buffer.from(sibling, 'base64').equals(DIGEST)).toBe(true);
    expect(sameDigest(digestOf(sibling) ?? new Uint8Array(), DIGEST)).toBe(true);
  });

  it('compares in full: one differing bit or length is a mismatch', () => {
    const copy = Uint8Array.from(DIGEST);
    expect(sameDigest(copy, DIGEST)).toBe(true);
    for (const i of [0, 15, 31]) {
      const other = Uint8Array.from(DIGEST);
      other[i] = (other[i] ?? 0) ^ 0x80;
      expect(sameDigest(other, DIGEST)).toBe(false);
    }
    expect(sameDigest(copy.subarray(1), DIGEST.subarray(1))).toBe(true);
    expect(sameDigest(copy.subarray(1), DIGEST)).toBe(false);
    // a prefix is no match, nor a digest with its prefix
    expect(sameDigest(copy.subarray(0, 31), DIGEST)).toBe(false);
    expect(sameDigest(copy, DIGEST.subarray(0, 31))).toBe(false);
  });
});

describe('sha256 (the web build’s digest for the core’s record shape)', () => {
  it('is node’s SHA-256 across block boundaries and long inputs', () => {
    const lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 100_000];
    for (const length of lengths) {
      const bytes = randomBytes(length);
      expect({ length, digest: Buffer.from(sha256(bytes)).toString('hex') }).toEqual({
        length,
        digest: createHash('sha256').update(bytes).digest('hex'),
      });
    }
  });

  it('stands in for the createHash the core calls, text as UTF-8, parts joined', () => {
    for (const text of ['', 'Phone #', '電話', 'Zoë 🎉', '{"a":1}']) {
      expect(webCreateHash('sha256').update(text).digest('hex')).toBe(
        createHash('sha256').update(text).digest('hex'),
      );
    }
    expect(
      webCreateHash('sha256')
        .update('ab')
        .update(Uint8Array.from([99]))
        .digest('hex'),
    ).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(() => webCreateHash('md5')).toThrow(
      'The web build of @isao/webhooks has only sha256, not md5.',
    );
    expect(() => webCreateHmac()).toThrow(
      /createHmac is not available in the web build of @isao\/webhooks/,
    );
    expect(() => timingSafeEqual()).toThrow(/timingSafeEqual is not available/);
  });
});
