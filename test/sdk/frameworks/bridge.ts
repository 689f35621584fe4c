/**
 * A node:http server for a fetch handler, `(request: Request) => Promise<Response>`, with Node's
 * own Request and Response: each request's wire headers (in order) and streamed body become a
 * Request, the handler's Response is written back. This is how a Next.js route handler or a
 * Worker's `fetch` is served here, without Next.js or a Workers runtime. It imports only node's
 * modules, so plain node (type stripping) can run it too.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** A node:http request as a fetch Request: its wire headers in order, its body as a stream. */
export const toRequest = (req: IncomingMessage): Request => {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '');
  }
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : Readable.toWeb(req);
  return new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body,
    duplex: 'half',
  });
};

/** Writes a fetch Response to a node:http response. */
export const writeResponse = async (response: Response, res: ServerResponse): Promise<void> => {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
};

/** A node:http server on 127.0.0.1 at `port` (0: a free one) serving the fetch handler. */
export const serveFetch = async (
  handler: (request: Request) => Promise<Response>,
  port = 0,
): Promise<{ url: string; server: Server }> => {
  const server = createServer((req, res) => {
    void handler(toRequest(req)).then((response) => writeResponse(response, res));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return { url: `http://127.0.0.1:${String(bound)}`, server };
};
