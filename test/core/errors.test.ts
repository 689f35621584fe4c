/**
 * The API's own words in an error body, read and made safe to show (core/errors.ts); the
 * failures by status, through Zapier's runtime: test/lib/api.errors.test.ts.
 */
import { apiErrorDetail, apiErrorFields, failureFor, sanitise } from '../../core/errors';

describe('error bodies', () => {
  it('reads every documented error-body shape', () => {
    expect(apiErrorDetail({ message: 'a' })).toBe('a');
    expect(apiErrorDetail({ error: 'b' })).toBe('b');
    expect(apiErrorDetail({ error: { message: 'c' } })).toBe('c');
    expect(apiErrorDetail({ errors: ['d', { message: 'e' }] })).toBe('d; e');
    expect(apiErrorDetail({ success: false, message: 'f' })).toBe('f');
    expect(apiErrorDetail({ success: false })).toBeUndefined();
  });

  it('reads the API message trimmed, naming its field unless the message does', () => {
    expect(apiErrorDetail('  plain text  ')).toBe('plain text');
    expect(apiErrorDetail('   ')).toBeUndefined();
    expect(apiErrorDetail(42)).toBeUndefined();
    expect(apiErrorDetail(['a'])).toBeUndefined();
    expect(apiErrorDetail({ message: '  spaced  ' })).toBe('spaced');
    expect(apiErrorDetail({ message: '   ', error: 'fallback' })).toBe('fallback');
    expect(apiErrorDetail({ errors: [{ field: 'email', message: ' is invalid ' }] })).toBe(
      'email: is invalid',
    );
    expect(apiErrorDetail({ errors: [{ field: 'email', message: 'email is taken' }] })).toBe(
      'email is taken',
    );
    expect(apiErrorDetail({ errors: [{ field: 3, message: 'odd' }] })).toBe('odd');
    expect(apiErrorDetail({ errors: ['', { message: '' }, 'b', null] })).toBe('b');
    expect(apiErrorDetail({ message: 'Invalid', errors: ['a', 'b'] })).toBe('Invalid (a; b)');
    expect(apiErrorDetail({ error: { detail: 'deep' } })).toBe('deep');
  });

  it('reads the fields an error body names, each once, in its order', () => {
    expect(
      apiErrorFields({ errors: [{ field: 'email', message: 'x' }, 'plain', { msg: 'y' }] }),
    ).toEqual(['email']);
    expect(apiErrorFields({ errors: { email: ['a', 'b'], ' name ': 'c', tags: [] } })).toEqual([
      'email',
      'name',
    ]);
    // a list path's last part; a position is no field name
    expect(
      apiErrorFields({
        detail: [
          { loc: ['body', 'email'], msg: 'x' },
          { loc: ['body', 0], msg: 'y' },
        ],
      }),
    ).toEqual(['email']);
    // the first key that names one wins, in the order field, param, path, loc, property
    expect(
      apiErrorFields({
        errors: [
          { field: 'a', param: 'b', message: 'x' },
          { param: 'c', path: 'd', message: 'x' },
          { path: 'e', loc: ['f'], message: 'x' },
          { loc: ['g'], property: 'h', message: 'x' },
          { field: ' ', property: 'i', message: 'x' },
        ],
      }),
    ).toEqual(['a', 'c', 'e', 'g', 'i']);
    expect(apiErrorFields({ detail: { email: 'x' }, error: 'email' })).toEqual([]);
    expect(apiErrorFields('email is invalid')).toEqual([]);
    expect(apiErrorFields([{ field: 'email', message: 'x' }])).toEqual([]);
  });

  it('names a field given beside the message of the main error', () => {
    expect(apiErrorDetail({ error: { field: 'email', message: 'is invalid' } })).toBe(
      'email: is invalid',
    );
    expect(
      apiErrorDetail({ errors: { email: [' is invalid ', { message: 'is taken' }, 3] } }),
    ).toBe('email: is invalid; email: is taken');
  });

  it('skips an error item that names a field but says nothing', () => {
    expect(apiErrorDetail({ errors: [{ field: 'email' }, 'Name is required'] })).toBe(
      'Name is required',
    );
  });

  it('strips markup (scripts and styles with their content, over several lines) from text', () => {
    expect(sanitise('a<script>\n x()\n</script>b<STYLE>\np{}\n</STYLE>c', [], true)).toBe('a b c');
    expect(sanitise('one<br>two', [], true)).toBe('one two');
    expect(sanitise('one<br>two', [])).toBe('one<br>two');
  });

  it('sanitises to one short line', () => {
    expect(sanitise('<p>a\n\n b</p><script>x()</script>', [], true)).toBe('a b');
    expect(sanitise('a <b@c.io>\n\n b', [])).toBe('a <b@c.io> b');
    expect(sanitise('x'.repeat(1000), [])).toHaveLength(300);
  });

  it('redacts every secret of 4 characters or more, wherever it appears', () => {
    // a 4-character secret is still a secret; shorter values would shred ordinary words
    expect(sanitise('key abcd rejected (abcd)', ['abcd'])).toBe(
      'key [redacted] rejected ([redacted])',
    );
    expect(sanitise('key k3y! and isao_live_1', ['k3y!', 'isao_live_1'])).toBe(
      'key [redacted] and [redacted]',
    );
    expect(sanitise('abc is not redacted', ['abc'])).toBe('abc is not redacted');
  });
});

describe('failures by status', () => {
  const request = { method: 'POST', path: '/contacts', host: 'api.example' };
  const policy = { permission: 'contacts:write' } as const;
  const fail = (status: number, authTest = false) =>
    failureFor({ status, content: '{"message":"no"}' }, { ...policy, authTest }, request, []);

  it('tells each platform how to raise it: an error, a reconnect or a deliberate halt', () => {
    expect(fail(401)).toMatchObject({ kind: 'reauth', code: 'invalid_api_key', status: 401 });
    expect(fail(401, true)).toMatchObject({ kind: 'error', code: 'invalid_api_key', status: 401 });
    expect(fail(409)).toEqual({
      kind: 'halt',
      code: 'conflict',
      status: 409,
      message: 'ISAO could not process the request (409): no.',
    });
    expect(fail(403)).toMatchObject({ kind: 'error', code: 'missing_permission', status: 403 });
    expect(fail(500)).toMatchObject({ kind: 'error', code: 'api_error', status: 500 });
    expect(failureFor({ status: 200, content: '{}' }, policy, request, [])).toBeUndefined();
  });
});
