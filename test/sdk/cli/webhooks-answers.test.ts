/**
 * `isao webhooks …` on lists the ISAO sandbox never gives, from an API on 127.0.0.1 holding the
 * subscriptions a test lays out: rows without an event, a URL or a date; a new subscription's
 * signing secret and the ones of unknown age left beside it; prune keeping the newest wherever
 * ISAO lists it, and removing a group with no active one; unsubscribe's --json; and the base URL
 * and key from the environment.
 */
import type { IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { DEFAULT_API_URL } from '../../../core/api';
import { WEBHOOKS_USAGE } from '../../../sdk/src/cli/webhooks';
import { listen } from '../helpers';
import { isao } from './run';

type Listed = Record<string, unknown>;

/**
 * An API listing `listed` (ISAO's fields), removing on DELETE (404 once gone), and answering a
 * subscribe with a new subscription and its secret, after which `appear` is listed too.
 */
const api = async (listed: Listed[], appear: Listed[] = []) => {
  let subscriptions = [...listed];
  /** What the API answers a request with `body`: a status and its data. */
  const answerTo = (call: string, body: unknown): [number, unknown] => {
    if (call === 'GET /api/webhooks') return [200, subscriptions];
    if (call === 'POST /api/webhooks/subscribe') {
      const made = {
        subscription_id: 'sub_new',
        event_type: 'deal.won',
        target_url: 'https://hooks.example/isao',
        is_active: true,
        created_at: '2024-11-08T10:30:00.000Z',
        secret: 'whsec_new',
      };
      subscriptions = [...subscriptions, made, ...appear];
      return [201, made];
    }
    if (call !== 'DELETE /api/webhooks/unsubscribe') return [404, {}];
    const gone =
      typeof body === 'object' && body !== null && 'subscription_id' in body
        ? body.subscription_id
        : undefined;
    const before = subscriptions.length;
    subscriptions = subscriptions.filter((item) => item.subscription_id !== gone);
    return [subscriptions.length < before ? 200 : 404, {}];
  };
  const server = await listen(async (req: IncomingMessage, res) => {
    const body: unknown = JSON.parse((await text(req)) || '{}');
    const [status, data] = answerTo(`${req.method ?? ''} ${req.url ?? ''}`, body);
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data }));
  });
  return {
    env: { ISAO_API_KEY: 'isao_key', ISAO_BASE_URL: `${server.url}/api` },
    ids: () => subscriptions.map((item) => item.subscription_id),
    close: server.close,
  };
};

const HOOK = 'https://hooks.example/isao';
const sub = (id: string, fields: Listed = {}): Listed => ({
  subscription_id: id,
  event_type: 'deal.won',
  target_url: HOOK,
  is_active: true,
  ...fields,
});

it('lists a subscription ISAO gives without an event, a URL or a date with "?" for each', async () => {
  const isaoApi = await api([{ subscription_id: 'sub_bare', is_active: false }]);
  try {
    expect(await isao(['webhooks', 'list'], { env: isaoApi.env })).toEqual({
      code: 0,
      stdout: `sub_bare  ${'?'.padEnd(19)}  inactive  ?  ?\n`,
      stderr: '',
    });
  } finally {
    await isaoApi.close();
  }
});

it("subscribe says the new subscription's secret, what it removed and what it left", async () => {
  const isaoApi = await api(
    [
      sub('sub_stopped_1', { is_active: false, created_at: '2024-11-01T00:00:00Z' }),
      sub('sub_stopped_2', { is_active: false, created_at: '2024-11-02T00:00:00Z' }),
    ],
    // made meanwhile by someone else, ISAO not saying when: either could be the live one
    [sub('sub_unknown_1'), sub('sub_unknown_2')],
  );
  try {
    const ran = await isao(['webhooks', 'subscribe', HOOK, 'deal.won'], { env: isaoApi.env });
    expect(ran).toEqual({
      code: 0,
      stdout: [
        'deal.won: subscribed (sub_new)',
        '  signing secret: whsec_new',
        '  removed: sub_stopped_1, sub_stopped_2',
        '  left in place (age unknown): sub_unknown_1, sub_unknown_2',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(isaoApi.ids()).toEqual(['sub_new', 'sub_unknown_1', 'sub_unknown_2']);
  } finally {
    await isaoApi.close();
  }
});

it('unsubscribe --json: each id, and whether ISAO no longer had it', async () => {
  const isaoApi = await api([sub('sub_1')]);
  try {
    const ran = await isao(['webhooks', 'unsubscribe', 'sub_1', 'sub_2', '--json'], {
      env: isaoApi.env,
    });
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual([
      { id: 'sub_1', alreadyGone: false },
      { id: 'sub_2', alreadyGone: true },
    ]);
  } finally {
    await isaoApi.close();
  }
});

it('prune keeps the newest active one wherever ISAO lists it, and removes a group with none', async () => {
  const isaoApi = await api([
    sub('sub_newest', { created_at: '2024-11-08T00:00:00Z' }),
    sub('sub_older', { created_at: '2024-11-01T00:00:00Z' }),
    { subscription_id: 'sub_bare', is_active: false },
  ]);
  try {
    const ran = await isao(['webhooks', 'prune'], { env: isaoApi.env });
    expect(ran).toEqual({
      code: 0,
      stdout: [
        `removed sub_older (duplicate): deal.won → ${HOOK}`,
        'removed sub_bare (inactive): ? → ?',
        '2 removed, 1 kept.',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(isaoApi.ids()).toEqual(['sub_newest']);
  } finally {
    await isaoApi.close();
  }
});

it('the base URL from ISAO_BASE_URL copied with spaces around it, ISAO’s own without it', async () => {
  const isaoApi = await api([sub('sub_1', { created_at: '2024-11-08T00:00:00Z' })]);
  try {
    const ran = await isao(['webhooks', 'list', '--json'], {
      env: { ...isaoApi.env, ISAO_BASE_URL: ` ${isaoApi.env.ISAO_BASE_URL} ` },
    });
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject([{ id: 'sub_1' }]);
  } finally {
    await isaoApi.close();
  }
  // no ISAO_BASE_URL: ISAO's (nothing is sent for an action it does not know)
  expect(await isao(['webhooks', 'remove'], { env: { ISAO_API_KEY: 'isao_key' } })).toEqual({
    code: 2,
    stdout: '',
    stderr: `isao: Usage:\n${WEBHOOKS_USAGE}\nRun isao --help for the commands.\n`,
  });
});

it('a base URL it cannot use: exit 2 saying what to set it to, never showing the key', async () => {
  const key = 'isaokey0123456789';
  const ran = await isao(['webhooks', 'list', '--base-url', `http://${key}/api`], {
    env: { ISAO_API_KEY: key },
  });
  expect(ran.code).toBe(2);
  expect(ran.stderr).toContain(
    `must use https (plain http only for this machine: localhost, 127.0.0.1 or [::1], where the ISAO sandbox runs). Set --base-url to the ISAO API base URL, for example ${DEFAULT_API_URL}.`,
  );
  expect(ran.stderr).not.toContain(key);
  const fromEnv = await isao(['webhooks', 'list'], {
    env: { ISAO_API_KEY: key, ISAO_BASE_URL: 'not a url' },
  });
  expect(fromEnv.stderr).toContain(
    `ISAO_BASE_URL is not a URL. Set ISAO_BASE_URL to the ISAO API base URL, for example ${DEFAULT_API_URL}.`,
  );
});
