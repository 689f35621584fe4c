// ISAO's webhook receiver as a Next.js App Router route handler: this file is
// app/api/isao/route.ts, so ISAO delivers to https://your-app.example/api/isao.
//
// The handler gets the request as received and reads its exact bytes itself: do not call
// request.json() or request.text() before it (it would answer 500 saying so). It uses the web
// entry (Web Crypto), so it runs on the Node.js runtime and on the Edge runtime alike.
//
// Set ISAO_WEBHOOK_SECRET in the app's environment. Event ids are remembered in the instance's
// memory: on a serverless host each instance has its own, so give the receiver a shared store
// (see docs/stores.md) for exactly-once handling across instances.
//
// Next.js is not installed in this repository (too heavy for every install): the tests call this
// module's POST with Node's own Request, and serve it over HTTP through a node:http → Request
// bridge, as Next.js would call it.
import { createWebHandler, Webhooks } from '@isao/webhooks/web';

// Never cache this route.
export const dynamic = 'force-dynamic';

/** The receiver, made at the first delivery: a build without the secret set still succeeds. */
const createReceiver = (): ((request: Request) => Promise<Response>) => {
  const webhooks = new Webhooks({ secrets: process.env.ISAO_WEBHOOK_SECRET ?? '' });
  webhooks.on('contact.created', (event) => {
    console.log(`New contact: ${event.record.name ?? 'no name'} (event ${event.id ?? 'no id'})`);
  });
  webhooks.on('deal.won', (event) => {
    // your work here; a handler may be async, and gets { signal } to stop at the deadline
    console.log(`Deal won: ${event.record.title ?? 'no title'} (event ${event.id ?? 'no id'})`);
  });
  return createWebHandler(webhooks);
};

let receive: ((request: Request) => Promise<Response>) | undefined;

export async function POST(request: Request): Promise<Response> {
  receive ??= createReceiver();
  return receive(request);
}
