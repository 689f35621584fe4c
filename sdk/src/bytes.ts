/** Bytes helpers the web build can use (no node Buffer). */

/**
 * The parts as one array: the part itself when there is one (a body read from a stream mostly
 * comes in one chunk: no copy of it), else a copy of them all. Its readers never change it.
 */
export const concatBytes = (parts: readonly Uint8Array[]): Uint8Array => {
  const [first] = parts;
  // Stryker disable next-line ConditionalExpression: a list of one has a first part (the check narrows the type)
  if (first !== undefined && parts.length === 1) return first;
  const all = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
};

/** The bytes in lower-case hex. */
export const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
