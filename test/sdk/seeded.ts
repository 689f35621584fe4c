/**
 * Varied test inputs that are the same on every run (apart from helpers.ts, which a test that
 * makes node:crypto unavailable imports).
 */
import { createHash } from 'node:crypto';

/**
 * Bytes that look random and are the same on every run (SHA-256 of the seed and a counter): what
 * a test covers must not change from run to run, since the mutation report records it.
 */
export const pseudoRandomBytes = (seed: string) => {
  let counter = 0;
  return (length: number): Buffer => {
    const blocks: Buffer[] = [];
    for (let made = 0; made < length; made += 32) {
      counter += 1;
      blocks.push(
        createHash('sha256')
          .update(`${seed}:${String(counter)}`)
          .digest(),
      );
    }
    return Buffer.concat(blocks).subarray(0, length);
  };
};
