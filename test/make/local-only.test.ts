/**
 * The Make tests' guard (local-only.ts): a request for anywhere but 127.0.0.1 never leaves, and
 * the test that sent it fails, naming the URL, whether or not it awaited the answer.
 */
import { Make } from '@makehq/sdk';
import { noneRefused } from './local-only';

const URL_OF_GET = 'https://eu1.make.com/api/v2/sdk/apps/isao/1';

test('a call to Make’s real zone is refused before it leaves, and named', async () => {
  await expect(new Make('token', 'eu1.make.com').sdk.apps.get('isao', 1)).rejects.toThrow(
    `refused a request for ${URL_OF_GET}: the Make tests reach only 127.0.0.1`,
  );
  expect(noneRefused).toThrow(
    `the test sent a request for ${URL_OF_GET}: the Make tests reach only 127.0.0.1`,
  );
});

test('a request the test never awaited fails it too, each URL named', () => {
  void fetch('http://localhost:9/x').catch(() => undefined);
  void fetch(new Request('http://10.0.0.1/y')).catch(() => undefined);
  expect(noneRefused).toThrow(
    'the test sent a request for http://localhost:9/x, http://10.0.0.1/y: the Make tests reach only 127.0.0.1',
  );
  expect(noneRefused).not.toThrow();
});
