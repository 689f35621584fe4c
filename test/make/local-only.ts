/**
 * The Make tests reach no network but this machine's. Make's SDK sends every call through the
 * global `fetch`; a request for anywhere but 127.0.0.1 (a call the deploy should have refused
 * before sending it, or sent to the zone a test names only as text) is refused at once, before it
 * leaves, and fails the test that sent it, naming its URL, even when the test never awaited it.
 * Each test file that reaches the SDK imports this file (the deploy's through deploy-harness.ts).
 */

/** Where the tests may send a request. */
const LOCAL = '127.0.0.1';

let refused: string[] = [];

/**
 * Throws when the running test sent a request for anywhere but 127.0.0.1, naming each URL (the
 * check after every test; the URLs are then forgotten).
 */
export const noneRefused = (): void => {
  const sent = refused.splice(0);
  if (sent.length > 0) {
    throw new Error(
      `the test sent a request for ${sent.join(', ')}: the Make tests reach only ${LOCAL}`,
    );
  }
};

beforeEach(() => {
  refused = [];
  const send = globalThis.fetch;
  jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (URL.canParse(url) && new URL(url).hostname === LOCAL) return send(input, init);
    refused.push(url);
    return Promise.reject(
      new Error(`refused a request for ${url}: the Make tests reach only ${LOCAL}`),
    );
  });
});

afterEach(noneRefused);
