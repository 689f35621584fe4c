/**
 * The Python API client and the Node one on the real sandbox (sandbox/, started here as
 * test/sdk/client/ does), the same calls in the same order: the same answers, ids and instants
 * aside.
 */
import { IsaoClient } from '../../sdk/src/client';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { node, python, type Answer, type Call } from './client-parity';

// each test starts a /usr/bin/python3 process: on a loaded machine that alone can pass jest's 5 s
jest.setTimeout(30_000);

describe('the Python client against the Node client, on the sandbox', () => {
  let sandbox: Sandbox;
  const HOOK = 'http://127.0.0.1:9/hooks/isao';
  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false });
  });
  afterAll(() => sandbox.close());

  /** The answers with what differs between two runs (ids, instants) named by order of appearance. */
  const normalised = (answers: Answer[]): unknown => {
    const names = new Map<string, string>();
    return JSON.parse(
      JSON.stringify(answers).replace(
        /"((?:sub|hook|contact|deal|evt)_[\w-]+|\d{4}-\d\d-\d\dT[\d:.]+Z?)"/g,
        (_, value: string) => {
          if (!names.has(value)) names.set(value, `#${String(names.size)}`);
          return `"${names.get(value) ?? ''}"`;
        },
      ),
    );
  };

  it('keeps subscriptions, samples, recent records and contacts as the Node client does', async () => {
    const calls: Call[] = [
      ['ensureSubscription', { events: ['deal.won', 'contact.created'], targetUrl: HOOK }],
      ['ensureSubscription', { events: ['deal.won'], targetUrl: HOOK }],
      ['subscribe', 'deal.won', HOOK],
      ['ensureSubscription', { events: ['deal.won'], targetUrl: HOOK }],
      ['list'],
      ['unsubscribe', 'sub_not_there'],
      ['sample', 'contact.created'],
      ['sample', 'appointment.updated'],
      ['recent', 'deal.won', { limit: 2 }],
      ['createContact', { name: 'Ana Jones', phoneNumber: '+33 1 23 45 67 89', tags: 'lead, vip' }],
    ];
    const runs = [];
    for (const client of [node, python]) {
      const cleaner = new IsaoClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl });
      await cleaner.removeAll(await cleaner.list());
      runs.push(normalised(await client(sandbox.apiKey, sandbox.baseUrl, calls)));
    }
    const [expected, actual] = runs;
    expect(actual).toEqual(expected);
    // and what it was: one subscription per event kept, the duplicate removed
    expect(JSON.stringify(actual)).toContain('"created":false');
    expect(JSON.stringify(actual)).toContain('"alreadyGone":true');
  });

  it('words a missing permission and a wrong key as the Node client does', async () => {
    const calls: Call[] = [['list'], ['createContact', { name: 'Ana', phoneNumber: '0123456789' }]];
    for (const apiKey of [sandbox.restrictedApiKey, 'isao_wrong_key']) {
      const expected = normalised(await node(apiKey, sandbox.baseUrl, calls));
      expect(normalised(await python(apiKey, sandbox.baseUrl, calls))).toEqual(expected);
      expect(JSON.stringify(expected)).toMatch(/"status":(403|401)/);
    }
  });
});
