/**
 * `npm run sandbox -- [options]`: the ISAO sandbox (server.ts) on a port until interrupted,
 * logging requests and deliveries, with what to point the app at.
 */
import { parseArgs } from 'node:util';
import {
  BASE_PATH,
  DEFAULT_API_KEY,
  DEFAULT_RATE_LIMIT,
  DEFAULT_SIGNING_SECRET,
  startSandbox,
} from './server';
import { DEFAULT_DELIVERY } from './webhooks';

const USAGE = `Usage: npm run sandbox -- [options]

  --port N             port to listen on (default 4010; 0 picks a free one)
  --host H             address to bind (default 127.0.0.1)
  --api-key K          the full-access API key (default ${DEFAULT_API_KEY})
  --secret S           webhook signing secret (default ${DEFAULT_SIGNING_SECRET})
  --unsigned           send webhooks without a signature
  --rate-limit N       requests per minute per key (default ${String(DEFAULT_RATE_LIMIT.requests)}; 0: none)
  --retry-delay MS     first retry backoff for failed webhooks (default ${String(DEFAULT_DELIVERY.backoffMs)})
`;

/** `npm run sandbox -- --port N`: runs until interrupted, logging requests and deliveries. */
const main = async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string' },
      secret: { type: 'string', default: DEFAULT_SIGNING_SECRET },
      unsigned: { type: 'boolean', default: false },
      'rate-limit': { type: 'string' },
      'retry-delay': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const number = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new Error(`--${name} takes a whole number, not "${raw}"`);
    return Number(raw);
  };
  const perMinute = number('rate-limit', values['rate-limit']);
  const retryDelay = number('retry-delay', values['retry-delay']);
  const sandbox = await startSandbox({
    port: number('port', values.port) ?? 4010,
    host: values.host,
    ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
    ...(values.unsigned ? {} : { signingSecret: values.secret }),
    ...(perMinute === undefined
      ? {}
      : { rateLimit: perMinute === 0 ? false : { requests: perMinute, windowMs: 60_000 } }),
    ...(retryDelay === undefined ? {} : { delivery: { backoffMs: retryDelay } }),
    log: (line) => {
      process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
    },
  });
  const b = sandbox.baseUrl;
  const rateLine =
    perMinute === 0
      ? 'none'
      : `${String(perMinute ?? DEFAULT_RATE_LIMIT.requests)} requests a minute per key`;
  process.stdout.write(`ISAO sandbox API running at ${b}

  API key (all permissions):           ${sandbox.apiKey}
  API key (no webhook permissions):    ${sandbox.restrictedApiKey}
  Webhook signing secret:              ${sandbox.signingSecret ?? '(none: webhooks are unsigned)'}
  Company:                             ${sandbox.company.name} (${sandbox.company.id})
  Rate limit:                          ${rateLine}

Point the app at it, e.g. in .env for \`npx zapier-platform invoke\`:
  ISAO_API_URL=${b}
  authData_api_key=${sandbox.apiKey}${sandbox.signingSecret ? `\n  authData_webhook_secret=${sandbox.signingSecret}` : ''}

Make something happen (each emits its ISAO event to matching subscriptions):
  curl -s -X POST ${b}/contacts -H 'Authorization: Bearer ${sandbox.apiKey}' \\
       -H 'Content-Type: application/json' -d '{"name":"Ada Lovelace","phoneNumber":"+44 20 7946 0958"}'
  also: PATCH ${BASE_PATH}/sandbox/contacts/:id, POST ${BASE_PATH}/sandbox/deals,
        PATCH ${BASE_PATH}/sandbox/deals/:id ({"stage":…} or {"status":"won"|"lost"}),
        POST ${BASE_PATH}/sandbox/appointments, PATCH|DELETE ${BASE_PATH}/sandbox/appointments/:id,
        GET ${BASE_PATH}/sandbox/deliveries
Ctrl-C stops it.
`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

/** listen()'s error for a port in use carries the address and port it tried. */
const portInUse = (error: unknown): error is NodeJS.ErrnoException & { port: number } =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      portInUse(error)
        ? `Port ${String(error.port)} is in use: pick another with \`npm run sandbox -- --port N\` (0 picks a free one).\n`
        : `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    process.exitCode = 1;
  });
}
