/**
 * Create a contact in Make, run through the IML evaluator (test/make/iml/) on the inputs a user
 * types or maps: Make's own checks first (a required parameter left empty, a value its `validate`
 * pattern refuses), then the request the generated communication makes, compared with what the
 * core sends for the same inputs (core/contacts.ts `contactBody`): the same body, or a refusal
 * naming the same field. The inputs are the help texts' promises and their variants; where Make
 * cannot do what the core does, the test says so (docs/make.md).
 */
import { contactBody, CONTACT_INPUTS } from '../../core/contacts';
import { moduleNamed, paramsOf, section, WITH_BASE } from './app-code';
import { isEmpty } from './iml/functions';
import { requestOf } from './iml/runtime';

const KEY = 'isao_test_key_123';
const create = moduleNamed('createContact');
const params = paramsOf(create, 'mappableParams');

type Result = { body: unknown } | { refused: string };

/** What Make does with the inputs: refuse one by its checks, or send the request's body. */
const make = (inputs: Record<string, unknown>): Result => {
  for (const param of params) {
    const value = inputs[String(param.name)];
    if (param.required === true && isEmpty(value)) return { refused: String(param.name) };
    const validate = param.validate as { pattern?: string } | undefined;
    if (typeof value === 'string' && value !== '' && validate?.pattern !== undefined) {
      if (!new RegExp(validate.pattern).test(value)) return { refused: String(param.name) };
    }
  }
  const request = requestOf(WITH_BASE, section(create, 'communication'), {
    parameters: inputs,
    connection: { apiKey: KEY },
  });
  expect(request).toMatchObject({
    url: 'https://staging.isao.io/api/external/contacts',
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}` },
  });
  return { body: JSON.parse(String(request.body)) };
};

/** What the core sends for them (JSON, as it goes over the wire), or the field it refuses. */
const core = (inputs: Record<string, unknown>): Result => {
  const result = contactBody(inputs);
  return 'body' in result
    ? { body: JSON.parse(JSON.stringify(result.body)) }
    : { refused: result.field };
};

const valid = { name: 'Jane Smith', phoneNumber: '+33 1 23 45 67 89' };

const CASES: Record<string, unknown[]> = {
  name: ['Jane Smith', '  Jane Smith  ', '   ', ''],
  phoneNumber: [
    '+33 1 23 45 67 89',
    '+44 (0) 20 7946 0958',
    '+44(0)2079460958',
    '06.12.34.56.78',
    '(555) 123-4567',
    '0612345678',
    '12345',
    'call me',
    '+33 1 23 45 67 89 12 34 56 78',
    '++33123456',
  ],
  email: [
    'jane@example.com',
    '  jane@example.com  ',
    'Jane Smith <jane@example.com>',
    '<jane@example.com>',
    '"Smith, Jane" <jane@example.com>',
    'mailto:jane@example.com',
    'MAILTO:Jane@Example.com',
    'Jane <mailto:jane@example.com>',
    'jane@example.com;',
    'jane@example.com, ',
    ' Jane Smith <jane@example.com> ; ',
    'jane.o-neil+crm@mail.example.co.uk',
    'not an email',
    'jane@example',
    'jane@@example.com',
    'jane@example.com, bob@example.com',
    'Jane <jane@example.com> Smith',
    'Jane <jane@example.com',
    'jane smith@example.com',
    'jane@exa_mple.com',
    '',
  ],
  position: ['Head of Operations', '  Head  ', '   ', ''],
  currentCompany: ['Tech Corp', ' Tech Corp ', ''],
  tags: [
    undefined,
    [],
    ['lead'],
    ['lead, vip'],
    ['lead', 'vip'],
    [' lead ', 'lead', 'LEAD'],
    ['lead,,vip', ''],
    ['lead', ' vip , partner '],
  ],
};

describe.each(Object.entries(CASES))('%s', (field, values) => {
  test.each(values.map((value) => [JSON.stringify(value), value]))(
    '%s: the same body as the core sends, or a refusal naming the field',
    (_shown, value) => {
      const inputs = { ...valid, [field]: value };
      expect(make(inputs)).toEqual(core(inputs));
    },
  );
});

test('every input of the core is a parameter, with its help worded for Make', () => {
  expect(params.map((p) => p.name)).toEqual(CONTACT_INPUTS.map((input) => input.key));
  const help = Object.fromEntries(params.map((p) => [p.name, String(p.help)]));
  expect(help.tags).toContain('`lead, vip` gives two tags');
  expect(help.tags).not.toMatch(/line|JSON/);
  expect(help.email).toContain('`Jane Smith <jane@example.com>`');
});

describe('what Make cannot do as the core does (docs/make.md)', () => {
  test('a JSON list typed as one tag: the core reads its tags, Make sends its text cut at commas', () => {
    const inputs = { ...valid, tags: ['["lead","vip"]'] };
    expect(core(inputs)).toEqual({ body: expect.objectContaining({ tags: ['lead', 'vip'] }) });
    expect(make(inputs)).toEqual({
      body: expect.objectContaining({ tags: ['["lead"', '"vip"]'] }),
    });
  });

  test('tags of blanks and commas only: the core refuses them, Make sends no tag', () => {
    const inputs = { ...valid, tags: [' , ', ' '] };
    expect(core(inputs)).toEqual({ refused: 'tags' });
    expect(make(inputs)).toEqual({ body: expect.objectContaining({ tags: [] }) });
  });

  test('a character that shows nothing inside an address: the core removes it, Make sends it', () => {
    const inputs = { ...valid, email: 'ja\u200bne@example.com' };
    expect(core(inputs)).toEqual({ body: expect.objectContaining({ email: 'jane@example.com' }) });
    expect(make(inputs)).toEqual({
      body: expect.objectContaining({ email: 'ja\u200bne@example.com' }),
    });
  });

  test("letters beyond Latin-1 in a domain: the core judges them by Unicode's classes, Make's check lets any through", () => {
    const inputs = { ...valid, email: 'jane@exa…mple.com' };
    expect(core(inputs)).toEqual({ refused: 'email' });
    expect(make(inputs)).toEqual({ body: expect.objectContaining({ email: 'jane@exa…mple.com' }) });
  });
});
