/**
 * One POST of exact bytes to a receiver, as ISAO sends a delivery: a timeout per attempt, the
 * answer's status, time and text; optionally the body in pieces, cut where asked, sent apart.
 * Never throws: a refused connection or a timeout is the result's `error`.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Sent {
  status?: number;
  /** The answer's body, as text. */
  text?: string;
  error?: string;
  ms: number;
}

export interface SendOptions {
  timeoutMs: number;
  /** Where to cut the body: byte offsets, ascending; each piece is sent `gapMs` after the last. */
  cuts?: readonly number[];
  gapMs?: number;
}

const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export const send = (
  url: URL,
  body: Uint8Array,
  headers: Readonly<Record<string, string>>,
  { timeoutMs, cuts, gapMs = 0 }: SendOptions,
): Promise<Sent> =>
  new Promise((resolve) => {
    const started = Date.now();
    const done = (result: Omit<Sent, 'ms'>): void => {
      resolve({ ...result, ms: Date.now() - started });
    };
    const post = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = post(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(body.length) },
      // a connection of its own (node then sends `Connection: close`): node's keep-alive agent
      // would otherwise hand a later request a socket that a server closing after each answer
      // without saying so (Python's http.server, under Django's runserver and wsgiref) has
      // closed: "socket hang up" for every other one
      agent: false,
      timeout: timeoutMs,
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        done({ status: res.statusCode, text: Buffer.concat(parts).toString('utf8') });
      });
      res.on('error', (error) => {
        done({ status: res.statusCode, error: error.message });
      });
    });
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${String(timeoutMs / 1000)} s`));
    });
    req.on('error', (error) => {
      done({ error: error.message });
    });
    const pieces =
      cuts === undefined
        ? [body]
        : [...cuts, body.length].map((end, i) => body.subarray(cuts[i - 1] ?? 0, end));
    void (async () => {
      // a pause after each piece, the last too: the receiver has the whole body by its
      // Content-Length then, whenever the request ends; node drops a write after an answer or
      // a timeout destroyed the request
      for (const piece of pieces) {
        req.write(piece);
        await pause(gapMs);
      }
      // Stryker disable next-line CallExpression: the receiver has the whole body by its Content-Length; ending only finishes this side's stream
      req.end();
    })();
  });

/** An answer in a few words: `200 in 12 ms`, or the error. */
export const described = (sent: Sent): string =>
  sent.status === undefined
    ? `no answer (${String(sent.error)})`
    : `${String(sent.status)} in ${String(sent.ms)} ms`;
