/**
 * `isao sign` and `isao verify`: a signature debugged by hand, with the package's own sign
 * (testing.ts) and verify (verify.ts), over a file's or stdin's exact bytes; and
 * `isao verify --vectors [FILE]`: the conformance vectors (the copy in the package by default)
 * through the package's verify.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNATURE_HEADER } from '../../../core/signatures';
import { sign } from '../testing';
import { verify } from '../verify';
import { runVectors, vectorsIn } from '../vectors';
import { messageOf, UsageError, type Output } from './output';

/** The program's stdin: a terminal, or bytes piped in (read whole when asked). */
export interface Stdin {
  isTTY?: boolean;
  read: () => Buffer;
}

/** The bytes of FILE, or of stdin (`-` or no file) when it is not a terminal. */
export const bytesOf = (file: string | undefined, stdin: Stdin): Buffer => {
  const piped = file === undefined || file === '-';
  if (piped && stdin.isTTY) {
    throw new UsageError('Give the body as a FILE, or pipe it into stdin.');
  }
  try {
    return piped ? stdin.read() : readFileSync(file);
  } catch (error) {
    throw new UsageError(`Could not read ${piped ? 'stdin' : file}: ${messageOf(error)}`);
  }
};

export const signCommand = (body: Buffer, secret: string, out: Output): void => {
  const value = sign(secret, body);
  out.data({ header: SIGNATURE_HEADER, value, bytes: body.length });
  out.line(`${SIGNATURE_HEADER}: ${value}`);
};

export interface VerifyArgs {
  body: Buffer;
  secrets: readonly string[];
  signature: string | undefined;
  now: number | undefined;
}

export const verifyCommand = (args: VerifyArgs, out: Output): boolean => {
  // no --signature: the header absent; no --now: this machine's clock (verify's default)
  const result = verify(
    args.body,
    { [SIGNATURE_HEADER]: args.signature },
    { secrets: args.secrets, now: args.now },
  );
  out.data(result);
  if (!result.ok) {
    out.line(
      out.paint('red', `refused (${String(result.status)} ${result.problem}): ${result.message}`),
    );
    return false;
  }
  const events = result.events.map((event) => `${event.name} ${event.id ?? '(no id)'}`);
  out.line(
    out.paint(
      'green',
      `valid: signed with secret ${String(result.signedWith + 1)} of ${String(args.secrets.length)}`,
    ),
  );
  out.line(`${String(events.length)} event(s)${events.length > 0 ? `: ${events.join(', ')}` : ''}`);
  for (const skipped of result.skipped) out.line(`skipped: ${skipped}`);
  return true;
};

/** The vectors file shipped in the package's dist/, beside this CLI. */
export const PACKAGED_VECTORS = join(__dirname, 'vectors.json');

export const vectorsCommand = (file: string | undefined, out: Output): boolean => {
  const path = file ?? PACKAGED_VECTORS;
  let parsed: unknown;
  try {
    // Stryker disable next-line StringLiteral: JSON.parse reads a Buffer as its UTF-8 text too
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`Could not read the vectors in ${path}: ${messageOf(error)}`);
  }
  const cases = vectorsIn(parsed);
  if (typeof cases === 'string')
    throw new UsageError(`${path} holds no conformance vectors: ${cases}.`);
  const runs = runVectors(cases, (body, headers, vector) =>
    verify(body, headers, { secrets: vector.secrets, now: vector.now }),
  );
  const failed = runs.filter((run) => !run.passed);
  out.data({ file: path, total: runs.length, passed: runs.length - failed.length, failed });
  for (const run of failed) {
    out.line(out.paint('red', `FAIL ${run.name}`));
    out.line(`  expected ${JSON.stringify(run.expected).slice(0, 300)}`);
    out.line(`  got      ${JSON.stringify(run.got).slice(0, 300)}`);
  }
  out.line(`${String(runs.length - failed.length)} of ${String(runs.length)} passed`);
  return failed.length === 0 && runs.length > 0;
};
