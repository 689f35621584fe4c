// ISAO's Node.js webhook receiver (the "Custom Webhooks" sample of ISAO's guide), done right
// with @isao/webhooks on Express 4 or 5.
//
// What was wrong with the guide's sample:
// - `app.use(express.json())` came before the webhook route, so the body's exact bytes were gone
//   by the time the route ran, and the X-Isao-Hmac-Sha256 signature could not be checked. It was
//   not checked at all (`crypto` was required and never used): anyone who knew the URL could post
//   a "deal.won" and have it handled.
// - No de-duplication: ISAO retries a delivery without a 2xx answer (up to 3 times, the same
//   `metadata.eventId`), and every retry ran the handlers again (two welcome emails, two
//   invoices for one won deal).
// - It answered 200 whatever happened: a handler doing real work (a database write) would run
//   after the answer, unawaited and unbounded, and its failure lost the event for good.
// - `event.data` was untyped, read without a check of the event's shape, and the port fixed.
//
// Here: the ISAO route is mounted before any body parser and reads the raw bytes itself; each
// delivery is verified, each event id claimed so a retry of a handled event is answered 200 and
// not run again; handlers are awaited within a deadline (10 s, ISAO waits 30 s), and a handler's
// failure answers 503 or 500 so that ISAO retries the event instead of dropping it.
//
//   npm install @isao/webhooks express
//   ISAO_WEBHOOK_SECRET=… PORT=3000 node server.mjs
import express from 'express';
import { Webhooks, createNodeMiddleware } from '@isao/webhooks';

const secret = process.env.ISAO_WEBHOOK_SECRET;
if (!secret) throw new Error('Set ISAO_WEBHOOK_SECRET to the signing secret of your ISAO webhook.');

// Event ids are remembered in this process's memory (the default store): run several processes
// and they need a shared store instead (see docs/stores.md).
const webhooks = new Webhooks({ secrets: secret });

webhooks.on('contact.created', async (event) => {
  await handleNewContact(event.data, event.id);
});

webhooks.on('deal.won', async (event, { signal }) => {
  await handleDealWon(event.data, event.id, signal);
});

webhooks.onError((error) => {
  console.error(`ISAO webhook not handled: ${error.message}`);
});

async function handleNewContact(contact, eventId) {
  console.log(`New contact: ${contact.name} (event ${eventId})`);
  // Add your business logic here, e.g. send a welcome email. When a service you need is down
  // for a moment, throw a RetryableError (from '@isao/webhooks'): ISAO retries the event later.
}

async function handleDealWon(deal, eventId, signal) {
  console.log(`Deal won: ${deal.title} ${deal.value} (event ${eventId})`);
  // Add your business logic here, e.g. generate an invoice; pass `signal` to fetch() or your
  // database client so the work stops if the deadline passes (ISAO then retries).
  signal.throwIfAborted();
}

const app = express();

// 1. The ISAO route first, before any body parser: the middleware reads the exact bytes.
app.post('/webhook/isao', createNodeMiddleware(webhooks));

// 2. Then the rest of your app, with its JSON parser.
app.use(express.json());
app.get('/health', (req, res) => {
  res.json({ ok: true });
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`Webhook server listening on port ${server.address().port}`);
});
