/**
 * `npm start`: the integration end to end, offline. Starts the sandbox ISAO API and a local catch
 * hook (standing in for hooks.zapier.com), then drives the built app (index.js → dist/) through
 * zapier-platform-core's own handler, as Zapier's Lambda runs it:
 * auth test → three Zaps subscribe (New Contact filtered on the tag `vip`) → New Contact's
 * subscribe retried (as Zapier does when an answer is lost) leaves one subscription → Create Contact →
 * ISAO's signed webhook → perform → the same delivery again is dropped as a duplicate → a
 * tampered one is rejected → a contact without the tag reaches no Zap → a deal is won and an
 * appointment booked, each reaching its Zap → unsubscribe.
 * Exits 0 when every step did what it should, 1 naming the step that did not.
 */
import path from 'node:path';
import { hookBundle, zapierHeaders } from './hook-bundle';
import { startCatchHook, startLocalZapier, type CaughtHook } from './local-zapier';
import { startSandbox } from './server';

const SECRET = 'whsec_isao_sandbox_demo';
const APP = path.resolve(__dirname, '..', '..', 'index.js');
const ZAPS = ['new_contact', 'deal_won', 'appointment_created'] as const;
type ZapKey = (typeof ZAPS)[number];
/** The Zaps' trigger filters: New Contact only for contacts tagged `vip`. */
const FILTERS: Record<ZapKey, Json> = {
  new_contact: { tags: 'vip' },
  deal_won: {},
  appointment_created: {},
};
type Json = Record<string, unknown>;

const say = (line = '') => {
  process.stdout.write(`${line}\n`);
};
const indent = (text: string, by = '     ') => text.replace(/^/gm, by);
const show = (value: unknown) => {
  say(indent(JSON.stringify(value, null, 2)));
};

class StepFailed extends Error {}

/** An error's text; core's AppErrors carry JSON `{message, code, status}`. */
const reason = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : message;
  } catch {
    return message;
  }
};
const check: (ok: boolean, what: string) => asserts ok = (ok, what) => {
  if (!ok) throw new StepFailed(what);
};

const main = async (): Promise<number> => {
  const sandbox = await startSandbox({
    signingSecret: SECRET,
    log: (line) => {
      say(`     · ISAO sandbox: ${line}`);
    },
  });
  const hooks = await startCatchHook();
  const zapier = await startLocalZapier(APP, { ISAO_API_URL: sandbox.baseUrl });
  const authData = { api_key: sandbox.apiKey, webhook_secret: SECRET };
  const run = async <T>(method: string, bundle: Json = {}) =>
    (await zapier.run(method, { authData, ...bundle })) as T;
  const op = (key: ZapKey, name: string) => `triggers.${key}.operation.${name}`;
  const subscriptions = {} as Record<ZapKey, Json>;
  /** The subscription ids ISAO lists (GET /webhooks), for one hook URL or all. */
  const liveFor = async (targetUrl?: string): Promise<unknown[]> => {
    const { body } = await sandbox.call('GET', '/webhooks');
    return (body as { data: Json[] }).data
      .filter((sub) => targetUrl === undefined || sub.target_url === targetUrl)
      .map((sub) => sub.subscription_id);
  };
  const performHook = (key: ZapKey, hook: CaughtHook) =>
    run<Json[]>(op(key, 'perform'), {
      subscribeData: subscriptions[key],
      ...hookBundle(hook.raw, zapierHeaders(hook.headers)),
    });

  let current = 'starting';
  let count = 0;
  const step = (title: string) => {
    count += 1;
    current = `${String(count)}. ${title}`;
    say(`\n${current}`);
  };

  try {
    say('ISAO for Zapier, end to end and offline');
    say(`  app:          ${APP} (built), run by zapier-platform-core's app handler`);
    say(`  ISAO API:     ${sandbox.baseUrl} (the sandbox; key ${sandbox.apiKey})`);
    say(`  Zapier hooks: ${hooks.url} (a local stand-in for hooks.zapier.com)`);

    step('Connect the ISAO account (authentication.test)');
    const auth = await run<Json>('authentication.test');
    check(
      auth.connection_label === sandbox.company.name,
      'the connection label is not the company',
    );
    say(`   ✓ connected as "${auth.connection_label}"`);

    step(
      'Turn on three Zaps: New Contact (Tags filter: vip), Deal Won, New Appointment (performSubscribe)',
    );
    for (const key of ZAPS) {
      const sub = await run<Json>(op(key, 'performSubscribe'), {
        targetUrl: `${hooks.url}/${key}`,
        inputData: FILTERS[key],
      });
      check(typeof sub.subscription_id === 'string', `${key}: no subscription_id`);
      subscriptions[key] = sub;
      const filtered = sub.filters ? `, filters ${JSON.stringify(sub.filters)}` : '';
      say(
        `   ✓ ${key}: ISAO subscription ${sub.subscription_id} for ${String(sub.event)}${filtered}`,
      );
    }
    check(
      JSON.stringify(subscriptions.new_contact.filters) === '{"tags":["vip"]}',
      "ISAO did not keep the New Contact Zap's Tags filter",
    );

    step(
      "Zapier retries New Contact's subscribe (the first answer was lost): one subscription stays",
    );
    const lost = String(subscriptions.new_contact.subscription_id);
    subscriptions.new_contact = await run<Json>(op('new_contact', 'performSubscribe'), {
      targetUrl: `${hooks.url}/new_contact`,
      inputData: FILTERS.new_contact,
    });
    const kept = String(subscriptions.new_contact.subscription_id);
    const live = await liveFor(`${hooks.url}/new_contact`);
    check(
      live.length === 1 && live[0] === kept,
      `ISAO lists ${JSON.stringify(live)} for the New Contact Zap, not only ${kept}`,
    );
    say(`   ✓ ISAO subscription ${kept} kept (the one Zapier stored); ${lost} removed`);

    step('Run the Create Contact action');
    const created = await run<Json>('creates.create_contact.operation.perform', {
      inputData: {
        name: 'Ada Lovelace',
        phoneNumber: '+44 20 7946 0958',
        email: 'ada@example.com',
        position: 'Analyst',
        currentCompany: 'Analytical Engines Ltd',
        tags: 'lead, vip',
      },
    });
    check(typeof created.id === 'string', 'Create Contact returned no contact id');
    say(
      `   ✓ created ${created.id}: ${String(created.name)}, ${String(created.phoneNumber)}, tags ${JSON.stringify(created.tags)}`,
    );
    say('     (the action returns the contact; New Contact records add the event fields, below)');

    step('ISAO sends the signed contact.created webhook; New Contact turns it into a record');
    const delivery = await hooks.next('/new_contact');
    await sandbox.idle();
    check(
      hooks.caught.filter((h) => h.path === '/new_contact').length === 1,
      'ISAO sent the contact to the New Contact Zap more than once (a subscription left behind?)',
    );
    const signature = delivery.headers['x-isao-hmac-sha256'];
    check(typeof signature === 'string', 'the webhook was not signed');
    say(`   ✓ caught ${String(delivery.raw.length)} bytes at /new_contact`);
    say(`     X-Isao-Hmac-Sha256: ${signature}`);
    const records = await performHook('new_contact', delivery);
    const record = records[0];
    check(records.length === 1 && record?.id === created.id, 'perform did not return the contact');
    say('   ✓ signature verified; the Zap-ready record:');
    show(record);

    step('ISAO delivers the same event again (a retry): dropped as a duplicate');
    const again = await performHook('new_contact', delivery);
    check(again.length === 0, 'the repeated delivery was not dropped');
    const event = record.isao_event as Json;
    say(`   ✓ perform returned [] (event ${String(event.id)} was seen before on this Zap)`);

    step('Someone replays a tampered copy: rejected');
    const tampered = { ...delivery, raw: delivery.raw.replace('Ada Lovelace', 'Eve Mallory') };
    check(tampered.raw !== delivery.raw, 'could not tamper with the delivery');
    const rejection = await performHook('new_contact', tampered).then(
      () => undefined,
      (error: unknown) => reason(error),
    );
    check(rejection?.includes('does not match') === true, 'the tampered delivery was accepted');
    say(`   ✓ rejected: ${rejection.split('\n')[0] ?? ''}`);

    step('A contact without the vip tag is added: the filtered New Contact Zap is not called');
    const plain = await run<Json>('creates.create_contact.operation.perform', {
      inputData: { name: 'Charles Babbage', phoneNumber: '+44 20 7946 0000', tags: 'lead' },
    });
    await sandbox.idle();
    const newContactHooks = hooks.caught.filter((h) => h.path === '/new_contact');
    check(newContactHooks.length === 1, 'ISAO delivered a contact the Tags filter excludes');
    say(`   ✓ created ${String(plain.id)} (tags ["lead"]); ISAO sent New Contact nothing for it`);

    step('A deal with Ada is won in ISAO: the Deal Won Zap gets it');
    const deal = await sandbox.call('POST', '/sandbox/deals', {
      title: 'Difference Engine No. 2',
      value: 18000,
      stage: 'Negotiation',
      contactId: created.id,
    });
    const dealId = String((deal.body as { data: Json }).data.id);
    const won = await sandbox.call('PATCH', `/sandbox/deals/${dealId}`, {
      stage: 'Closed Won',
      status: 'won',
    });
    check(deal.status === 201 && won.status === 200, 'the sandbox did not create and win the deal');
    const [wonRecord] = await performHook('deal_won', await hooks.next('/deal_won'));
    check(wonRecord?.id === dealId && wonRecord.status === 'won', 'Deal Won got no won deal');
    say(
      `   ✓ Deal Won record: ${String(wonRecord.title)}, ${String(wonRecord.value)} ${String(wonRecord.currency)}, ${String(wonRecord.previousStage)} → ${String(wonRecord.stage)} (contact ${String(wonRecord.contactName)})`,
    );

    step('Ada books an appointment: the New Appointment Zap gets it');
    const booked = await sandbox.call('POST', '/sandbox/appointments', {
      startDateTime: '2030-12-10T09:30:00Z',
      timeZone: 'Europe/London',
      reason: { reasonId: 1, reasonDesc: 'Engine demonstration', visitMinutes: 60 },
      client: { firstName: 'Ada', lastName: 'Lovelace', emailAddress: 'ada@example.com' },
      staff: { professionalId: 7, fullName: 'Charles Babbage' },
      location: { locationId: 3, locationName: 'London Office' },
      fields: [{ label: 'Preferred contact time?', value: 'Mornings', dataType: 'TXT' }],
    });
    check(booked.status === 201, 'the sandbox did not book the appointment');
    const [appt] = await performHook(
      'appointment_created',
      await hooks.next('/appointment_created'),
    );
    check(appt?.custom_fields !== undefined, 'New Appointment got no appointment');
    say(
      `   ✓ New Appointment record: ${String(appt.startDateTime)} → ${String(appt.endDateTime)}, ${String((appt.reason as Json).reasonDesc)} with ${String((appt.staff as Json).fullName)}`,
    );
    say(`     custom fields: ${JSON.stringify(appt.custom_fields)}`);

    step('Turn the three Zaps off (performUnsubscribe)');
    for (const key of ZAPS) {
      const out = await run<Json>(op(key, 'performUnsubscribe'), {
        subscribeData: subscriptions[key],
        targetUrl: `${hooks.url}/${key}`,
      });
      check(out.already_removed === false, `${key}: the subscription was already gone`);
      say(`   ✓ ${key}: unsubscribed ${String(out.subscription_id)}`);
    }
    const active = await liveFor();
    check(active.length === 0, `${String(active.length)} subscriptions are still active`);
    say('   ✓ ISAO lists no active webhook subscriptions');

    await sandbox.idle();
    const failed = sandbox.deliveries.filter((d) => !d.ok).length;
    say(
      `\nEnd to end: all ${String(count)} steps passed (${String(sandbox.deliveries.length)} webhook deliveries, ${String(failed)} failed attempts).`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`\nFAILED at step ${current}: ${reason(error)}\n`);
    return 1;
  } finally {
    await Promise.all([zapier.close(), hooks.close(), sandbox.close()]);
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`\nFAILED to start: ${reason(error)}\n`);
    process.exitCode = 1;
  },
);
