/**
 * `isao`: the command line of @isao/webhooks. Each command parses its own options (node:util
 * parseArgs, strict: an unknown option is a usage error); the API key comes from `--api-key` or
 * ISAO_API_KEY, the base URL from `--base-url` or ISAO_BASE_URL under the core's rules (https,
 * plain http only for this machine). Exit codes: output.ts's EXIT.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { apiUrlProblem, DEFAULT_API_URL } from '../../core/api';
import { EVENT_NAMES, isIsaoEvent, type IsaoEvent } from '../../core/events';
import { IsaoApiError, IsaoClient } from './client';
import { check } from './cli/check';
import { EXIT, messageOf, outputFor, UsageError, type Output } from './cli/output';
import { bytesOf, signCommand, vectorsCommand, verifyCommand, type Stdin } from './cli/signing';
import { trigger } from './cli/trigger';
import { webhooks, WEBHOOKS_USAGE } from './cli/webhooks';

const USAGE = `Usage: isao COMMAND [options]

${WEBHOOKS_USAGE}
isao trigger EVENT --forward-to URL [--secret S] [--set data.FIELD=VALUE]... [--times N] [--like-isao]
isao check URL --secret S [--event EVENT]
isao sign --secret S [FILE]
isao verify --secret S [--secret S2] --signature SIG [--now TIME] [FILE]
isao verify --vectors [FILE]

Every command takes --json (one JSON document on stdout) and --help.
The webhooks commands read the API key from ISAO_API_KEY (or --api-key) and the API's
base URL from ISAO_BASE_URL (or --base-url; default ${DEFAULT_API_URL}).
Exit codes: 0 done, 1 a check, delivery, signature or vector failed, 2 a usage error,
3 ISAO's API refused the call or could not be reached.`;

const COMMON = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options'];

const OPTIONS = {
  webhooks: {
    ...COMMON,
    'api-key': { type: 'string' },
    'base-url': { type: 'string' },
    event: { type: 'string' },
    url: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
  trigger: {
    ...COMMON,
    'forward-to': { type: 'string' },
    secret: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    times: { type: 'string', default: '1' },
    'like-isao': { type: 'boolean', default: false },
  },
  check: { ...COMMON, secret: { type: 'string' }, event: { type: 'string' } },
  sign: { ...COMMON, secret: { type: 'string' } },
  verify: {
    ...COMMON,
    secret: { type: 'string', multiple: true, default: [] },
    signature: { type: 'string' },
    now: { type: 'string' },
    vectors: { type: 'boolean', default: false },
  },
} satisfies Record<string, ParseArgsConfig['options']>;

type Env = Readonly<Record<string, string | undefined>>;

const eventOf = (name: string | undefined): IsaoEvent => {
  if (isIsaoEvent(name)) return name;
  throw new UsageError(
    `${name === undefined ? 'An event is needed' : `"${name}" is not an ISAO event`}; the events are ${EVENT_NAMES.join(', ')}.`,
  );
};

const urlOf = (raw: string | undefined, what: string): URL => {
  // Stryker disable next-line ConditionalExpression: URL.parse(undefined) is null, refused the same
  const url = raw === undefined ? undefined : URL.parse(raw);
  if (url === null || url === undefined || !['http:', 'https:'].includes(url.protocol)) {
    throw new UsageError(
      `${what} must be an http(s) URL${raw === undefined ? '' : `, not "${raw}"`}.`,
    );
  }
  return url;
};

/** The signing secret given, else ISAO_WEBHOOK_SECRET; a blank one is none (null). */
const secretIn = (given: string | undefined, env: Env): string | null => {
  const secret = given ?? env.ISAO_WEBHOOK_SECRET;
  return secret?.trim() ? secret : null;
};

/** The signing secret a command cannot do without (secretIn's). */
const secretOf = (given: string | undefined, env: Env): string => {
  const secret = secretIn(given, env);
  if (secret === null)
    throw new UsageError('Give the signing secret: --secret S (or ISAO_WEBHOOK_SECRET).');
  return secret;
};

/** The API client from the options and the environment, under the core's base URL rules. */
const clientOf = (
  apiKey: string | undefined,
  baseUrl: string | undefined,
  env: Env,
): IsaoClient => {
  const key = apiKey ?? env.ISAO_API_KEY;
  if (!key) throw new UsageError('No API key: set ISAO_API_KEY (or pass --api-key).');
  const url = baseUrl ?? env.ISAO_BASE_URL;
  const name = baseUrl === undefined ? 'ISAO_BASE_URL' : '--base-url';
  const problem = apiUrlProblem(
    url,
    { name, fix: `Set ${name} to the ISAO API base URL, for example ${DEFAULT_API_URL}.` },
    [key],
  );
  if (problem) throw new UsageError(problem);
  return new IsaoClient({ apiKey: key, baseUrl: url?.trim() || DEFAULT_API_URL });
};

/** Runs one command line: the exit code. */
export const run = async (
  argv: readonly string[],
  io: {
    stdout: { isTTY?: boolean; write: (text: string) => unknown };
    stderr: { isTTY?: boolean; write: (text: string) => unknown };
    stdin: Stdin;
    env: Env;
  },
): Promise<number> => {
  const [command, ...rest] = argv;
  // --json and --help, which every command takes, before the command's own options
  const out: Output = outputFor(rest.includes('--json'), io.stdout, io.stderr, io.env);
  // asked for, help is printed with --json too
  const help = (text: string): void => {
    io.stdout.write(`${text}\n`);
  };
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      help(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (!(command in OPTIONS)) throw new UsageError(`Unknown command "${command}".`);
    if (rest.includes('--help')) {
      help(command === 'webhooks' ? WEBHOOKS_USAGE : USAGE);
      return EXIT.ok;
    }
    const parseAll = <O extends ParseArgsConfig['options']>(options: O) => {
      try {
        return parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
      } catch (error) {
        // node's words: an unknown option, a value missing or given to a flag
        throw new UsageError(messageOf(error));
      }
    };
    /** The command line of a command taking one argument at most (the others are refused). */
    const parse = <O extends ParseArgsConfig['options']>(options: O) => {
      const parsed = parseAll(options);
      const extra = parsed.positionals[1];
      if (extra !== undefined) {
        throw new UsageError(
          `isao ${command} takes one argument at most; "${extra}" is one too many.`,
        );
      }
      return parsed;
    };
    if (command === 'webhooks') {
      const { values, positionals } = parseAll(OPTIONS.webhooks);
      const client = clientOf(values['api-key'], values['base-url'], io.env);
      await webhooks(
        client,
        { positionals, event: values.event, url: values.url, dryRun: values['dry-run'] },
        out,
      );
      return EXIT.ok;
    }
    if (command === 'trigger') {
      const { values, positionals } = parse(OPTIONS.trigger);
      const times = Number(values.times);
      if (!Number.isInteger(times) || times < 1 || times > 1000) {
        throw new UsageError(
          `--times must be a whole number from 1 to 1000, not "${values.times}".`,
        );
      }
      const ok = await trigger(
        {
          event: eventOf(positionals[0]),
          forwardTo: urlOf(values['forward-to'], '--forward-to'),
          secret: secretIn(values.secret, io.env),
          sets: values.set,
          times,
          likeIsao: values['like-isao'],
        },
        out,
      );
      return ok ? EXIT.ok : EXIT.failed;
    }
    if (command === 'check') {
      const { values, positionals } = parse(OPTIONS.check);
      const event = values.event === undefined ? 'contact.created' : eventOf(values.event);
      const ok = await check(
        urlOf(positionals[0], 'The receiver URL'),
        event,
        secretOf(values.secret, io.env),
        out,
      );
      return ok ? EXIT.ok : EXIT.failed;
    }
    if (command === 'sign') {
      const { values, positionals } = parse(OPTIONS.sign);
      signCommand(bytesOf(positionals[0], io.stdin), secretOf(values.secret, io.env), out);
      return EXIT.ok;
    }
    const { values, positionals } = parse(OPTIONS.verify);
    if (values.vectors) return vectorsCommand(positionals[0], out) ? EXIT.ok : EXIT.failed;
    const secrets =
      values.secret.length > 0
        ? values.secret.map((given) => secretOf(given, io.env))
        : [secretOf(undefined, io.env)];
    const now =
      values.now === undefined
        ? undefined
        : /^\d+$/.test(values.now)
          ? Number(values.now)
          : Date.parse(values.now);
    // not a time (NaN), or before 1970: verify's `now` is epoch milliseconds from 0
    if (now !== undefined && !(now >= 0)) {
      throw new UsageError(
        `--now must be epoch milliseconds or an ISO 8601 time from 1970 on, not "${String(values.now)}".`,
      );
    }
    const body = bytesOf(positionals[0], io.stdin);
    return verifyCommand({ body, secrets, signature: values.signature, now }, out)
      ? EXIT.ok
      : EXIT.failed;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`isao: ${error.message}\nRun isao --help for the commands.\n`);
      return EXIT.usage;
    }
    if (error instanceof IsaoApiError) {
      io.stderr.write(`isao: ${error.message}\n`);
      return EXIT.api;
    }
    throw error;
  }
};

// run when this file is the program (the bin), not when a test imports it: only in the bin's own
// process, never in a test's (its mutants could only be "not covered"); run() is tested
// Stryker disable all
if (require.main === module) {
  // the reader gone (`isao … | head`): the rest of the output has nowhere to go; end quietly
  process.stdout.on('error', (error: Error) => {
    if (!('code' in error) || error.code !== 'EPIPE') throw error;
    process.exit();
  });
  void run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: { isTTY: process.stdin.isTTY, read: () => readFileSync(0) },
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
// Stryker restore all
