/** test/console.ts: each test's console output is kept for it, not printed, and starts empty. */
import { logged } from './helpers';

test('keeps what a test logs, formatted, one entry per call, without the trailing newline', () => {
  console.log('ISAO: %s', 'skipped');
  console.warn({ id: 'e1' });
  console.error('line\n');
  expect(logged()).toEqual(['ISAO: skipped', "{ id: 'e1' }", 'line']);
});

test('a new test starts with nothing logged', () => {
  expect(logged()).toEqual([]);
});
