/** The app end to end over real HTTP: its calls to ISAO's API (the connection test, Create Contact, a 429). */
import { caught, errorText } from '../helpers';
import { sandbox, hooks, run, op, subscribeTo, performHook } from './e2e.setup';

it('tests the connection and labels it with the company name', async () => {
  const result = await run('authentication.test');
  expect(result).toMatchObject({
    data: { company: sandbox.company },
    connection_label: sandbox.company.name,
  });
  const error = await caught(() =>
    run('authentication.test', { authData: { api_key: 'wrong-key' } }),
  );
  expect(errorText(error)).toMatch(
    /^ISAO rejected the API key \(401 Unauthorized: Invalid API key\)/,
  );
});

describe('Create Contact', () => {
  it('creates the contact in ISAO and returns it shaped like New Contact’s records', async () => {
    const subscribeData = await subscribeTo('new_contact', '/created');
    const created = await run('creates.create_contact.operation.perform', {
      inputData: {
        name: 'Grace Hopper',
        phoneNumber: '+1 (212) 555-0100',
        email: 'grace@example.com',
        position: 'Rear Admiral',
        currentCompany: 'US Navy',
        tags: ['cobol', 'navy, vip'],
      },
    });
    const stored = sandbox.events.at(-1)!.data;
    expect(created).toMatchObject({
      ...stored,
      phoneNumber: '+12125550100',
      tags: ['cobol', 'navy', 'vip'], // a line is split at commas: Tags hold no comma
    });
    expect(created).not.toHaveProperty('isao_event');
    const [record] = await performHook('new_contact', subscribeData, await hooks.next('/created'));
    // the trigger's record is the created contact plus the trigger's event fields
    expect(Object.keys(record!).sort()).toEqual(
      [...Object.keys(created), 'isao_event', 'isao_event_key'].sort(),
    );
    expect(record!.id).toBe(created.id);
    await run(op('new_contact', 'performUnsubscribe'), { subscribeData });
  });

  it('passes ISAO’s 422 message to the user verbatim, as an error naming the field (not a halt)', async () => {
    const error = await caught(() =>
      run('creates.create_contact.operation.perform', {
        inputData: { name: 'x'.repeat(201), phoneNumber: '0612345678' },
      }),
    );
    expect(error.name).toBe('AppError');
    expect(errorText(error)).toBe(
      'ISAO refused the values this step sent (422 Unprocessable Entity): Validation failed (name is longer than 200 characters). Fix the field ISAO named (name) and run the step again.',
    );
  });

  it('works with a key that may create contacts but not manage webhooks', async () => {
    const auth = { api_key: sandbox.restrictedApiKey };
    const created = await run('creates.create_contact.operation.perform', {
      authData: auth,
      inputData: { name: 'Limited Key', phoneNumber: '0612345678' },
    });
    expect(created.name).toBe('Limited Key');
    const error = await caught(() =>
      run(op('new_contact', 'performSubscribe'), {
        authData: auth,
        targetUrl: `${hooks.url}/never`,
      }),
    );
    expect(errorText(error)).toMatch(/403 Forbidden.*lacks the `webhooks:write` permission/);
  });
});

it('turns ISAO’s 429 into Zapier’s throttled error, with Retry-After', async () => {
  sandbox.setRateLimit({ requests: 1, windowMs: 45_000 });
  await run('authentication.test'); // one request: the key's whole budget
  const error = await caught(() => run(op('new_contact', 'performList')));
  expect(error.name).toBe('ThrottledError');
  const { message, delay } = JSON.parse(error.message) as { message: string; delay: number };
  expect(message).toBe('The server returned 429 (Too Many Requests)');
  expect(delay).toBeGreaterThanOrEqual(44); // the sandbox's Retry-After: what is left of 45 s
  expect(delay).toBeLessThanOrEqual(45);
});
