/**
 * How the `isao` CLI speaks: lines for people on stdout (colour only when stdout is a terminal
 * and NO_COLOR is unset), progress on stderr only when it is a terminal, or one JSON document on
 * stdout with `--json`. Its exit codes, and the errors that choose them.
 */
import { types } from 'node:util';

/** What each exit code means (docs/cli.md lists them). */
export const EXIT = {
  /** Done: every check passed, every delivery was answered 2xx, the signature holds. */
  ok: 0,
  /** What was checked failed: a grade, a delivery, a signature, a vector. */
  failed: 1,
  /** The command line is wrong: an unknown command or option, a missing or bad value. */
  usage: 2,
  /** ISAO's API refused the call or could not be reached. */
  api: 3,
} as const;

/** A command line that cannot run: its message, and exit code 2. */
export class UsageError extends Error {}

/** A thrown error's message: node's own errors are told by isNativeError, in any realm. */
export const messageOf = (error: unknown): string =>
  types.isNativeError(error) ? error.message : String(error);

export interface Output {
  json: boolean;
  /** A line for people (nothing with --json). */
  line: (text: string) => void;
  /** The one JSON document of --json. */
  data: (value: unknown) => void;
  /** Progress on long work: stderr, only on a terminal and without --json. */
  progress: (text: string) => void;
  /** Text coloured for a terminal: green, red, yellow or dim. */
  paint: (colour: keyof typeof COLOURS, text: string) => string;
}

const COLOURS = { green: 32, red: 31, yellow: 33, dim: 2 } as const;

interface Stream {
  isTTY?: boolean;
  write: (text: string) => unknown;
}

export const outputFor = (
  json: boolean,
  stdout: Stream,
  stderr: Stream,
  env: Readonly<Record<string, string | undefined>>,
): Output => {
  const colour = stdout.isTTY === true && !env.NO_COLOR;
  return {
    json,
    line: (text) => {
      if (!json) stdout.write(`${text}\n`);
    },
    data: (value) => {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    progress: (text) => {
      if (!json && stderr.isTTY === true) stderr.write(`${text}\n`);
    },
    paint: (name, text) => (colour ? `\u001b[${String(COLOURS[name])}m${text}\u001b[0m` : text),
  };
};
