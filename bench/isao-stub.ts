/**
 * A counting stand-in for the ISAO API on 127.0.0.1, so the bench counts the requests each
 * operation really makes. It answers the routes the triggers use (subscribe, unsubscribe,
 * recent, sample) and also swallows core's log stream (LOGGING_ENDPOINT), counted apart.
 */
import { createServer } from 'node:http';
import { close, listen, readBody } from '../sandbox/local-zapier';
import { record, SUBSCRIBE_DATA, type Kind } from './fixtures';

export interface IsaoStub {
  /** The API base URL (ISAO_API_URL). */
  apiUrl: string;
  /** Where core streams its logs (LOGGING_ENDPOINT). */
  logUrl: string;
  /** API requests so far, as "METHOD /path". */
  requests: string[];
  /** Log-stream requests so far (not API traffic). */
  logRequests: string[];
  /** Make `/recent` answer `[]`, so performList falls back to `/sample`. */
  setRecentEmpty: (empty: boolean) => void;
  close: () => Promise<void>;
}

const BASE_PATH = '/api/external';
const LOG_PATH = '/zapier-logs';

const kindOf = (event: string): Kind =>
  event.startsWith('appointment.') ? 'appointment' : 'contact';

export const startIsaoStub = async (): Promise<IsaoStub> => {
  const requests: string[] = [];
  const logRequests: string[] = [];
  let recentEmpty = false;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
      };
      if (pathname === LOG_PATH) {
        logRequests.push(`${method} ${pathname}`);
        reply(200, {});
        return;
      }
      requests.push(`${method} ${pathname.slice(BASE_PATH.length)}`);
      const route = pathname.startsWith(BASE_PATH) ? pathname.slice(BASE_PATH.length) : '';
      const listed = /^\/triggers\/([a-z_.]+)\/(recent|sample)$/.exec(route);
      if (method === 'POST' && route === '/webhooks/subscribe') {
        const { event, target_url } = JSON.parse(body) as Record<string, unknown>;
        reply(201, { success: true, data: { ...SUBSCRIBE_DATA, event, target_url } });
      } else if (method === 'DELETE' && route === '/webhooks/unsubscribe') {
        reply(200, { success: true, message: 'Webhook unsubscribed successfully' });
      } else if (method === 'GET' && listed?.[2] === 'recent') {
        const kind = kindOf(listed[1] ?? '');
        reply(200, recentEmpty ? [] : [1, 2, 3].map((n) => record(kind, n)));
      } else if (method === 'GET' && listed?.[2] === 'sample') {
        reply(200, record(kindOf(listed[1] ?? '')));
      } else {
        reply(404, { success: false, message: `No route ${method} ${pathname}` });
      }
    });
  });
  const origin = await listen(server);
  return {
    apiUrl: `${origin}${BASE_PATH}`,
    logUrl: `${origin}${LOG_PATH}`,
    requests,
    logRequests,
    setRecentEmpty: (empty) => {
      recentEmpty = empty;
    },
    close: () => close(server),
  };
};
