// ISAO's webhook receiver on Hono, served by @hono/node-server. The fetch handler reads the
// request's exact bytes itself: hand it `c.req.raw` untouched (a `c.req.json()` before it would
// use up the body, and it answers 500 saying so). On Workers, Deno or Bun, import from
// '@isao/webhooks/web' instead (Web Crypto) and export `app` as the runtime wants it.
//
//   npm install @isao/webhooks hono @hono/node-server
//   ISAO_WEBHOOK_SECRET=… PORT=3000 node server.mjs
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Webhooks, createWebHandler } from '@isao/webhooks';

const secret = process.env.ISAO_WEBHOOK_SECRET;
if (!secret) throw new Error('Set ISAO_WEBHOOK_SECRET to the signing secret of your ISAO webhook.');

// Verified, de-duplicated by event id (in this process's memory), answered within 10 s.
const webhooks = new Webhooks({ secrets: secret });

webhooks.on('contact.created', async (event) => {
  console.log(`New contact: ${event.data.name} (event ${event.id})`);
});

webhooks.on('deal.won', async (event) => {
  console.log(`Deal won: ${event.data.title} ${event.data.value} (event ${event.id})`);
});

const receive = createWebHandler(webhooks);

const app = new Hono();
app.post('/webhook/isao', (c) => receive(c.req.raw));
app.get('/health', (c) => c.json({ ok: true }));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) }, (info) => {
  console.log(`Webhook server listening on port ${info.port}`);
});
