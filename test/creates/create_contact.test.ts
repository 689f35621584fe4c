/**
 * Create Contact through the real core runtime: the exact request, input validation before any
 * request, the API's own messages, and an output shaped like the New Contact trigger's records.
 */
import nock from 'nock';
import App from '../../src';
import { operation } from '../../src/creates/create_contact';
import {
  api,
  apiPath,
  appTester,
  authData,
  API_KEY,
  appError,
  caught,
  errorText,
  flatKeys,
  fullBundle,
} from '../helpers';

type Out = Record<string, unknown>;
const action = App.creates.create_contact;
/** Runs the action; inputData is what Zapier maps, which need not match the declared types. */
const create = async (inputData: Record<string, unknown>): Promise<Out> =>
  appTester(operation.perform, fullBundle({ authData, inputData }));

const CREATED = {
  id: 'contact_42',
  name: 'Ada Lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace',
  phoneNumber: '+442079460958',
  email: 'ada@example.com',
  tags: ['lead'],
  createdAt: '2024-11-08T10:30:00.000Z',
  updatedAt: '2024-11-08T10:30:00.000Z',
};

/** Expects exactly this body on POST /contacts, with the key, and answers as ISAO does. */
const expectCreate = (body: Out, data: Out = { ...CREATED, ...body }) =>
  api()
    .post(apiPath('/contacts'), (sent) => {
      expect(sent).toEqual(body);
      return true;
    })
    .matchHeader('authorization', `Bearer ${API_KEY}`)
    .matchHeader('content-type', /application\/json/)
    .reply(201, { success: true, data });

describe('create_contact: definition', () => {
  it('is Create Contact, noun Contact, with the documented description', () => {
    expect(action.key).toBe('create_contact');
    expect(action.noun).toBe('Contact');
    expect(action.display).toEqual({
      label: 'Create Contact',
      description: 'Creates a new contact.',
    });
  });

  it('takes the API-named inputs, name and phone required, tags a list, all with help text', () => {
    const fields = action.operation.inputFields as {
      key: string;
      required?: boolean;
      list?: boolean;
      helpText?: string;
    }[];
    expect(fields.map((f) => [f.key, f.required === true])).toEqual([
      ['name', true],
      ['phoneNumber', true],
      ['email', false],
      ['position', false],
      ['currentCompany', false],
      ['tags', false],
    ]);
    expect(fields.find((f) => f.key === 'tags')?.list).toBe(true);
    for (const field of fields) expect(field.helpText?.length).toBeGreaterThan(20);
  });

  it('has a sample and output fields of the contact only, without trigger event fields', () => {
    const sample = action.operation.sample as Out;
    const outputKeys = (action.operation.outputFields as { key: string }[]).map((f) => f.key);
    expect(flatKeys(sample)).toEqual([...outputKeys].sort());
    expect(sample).toMatchObject({ id: 'contact_123', name: 'Jane Smith' });
    expect(outputKeys.filter((k) => k.startsWith('isao_event'))).toEqual([]);
    // the same contact fields, labelled alike, as the New Contact trigger
    const label = ({ key, label }: { key: string; label?: string }) => [key, label];
    const triggerFields = App.triggers.new_contact.operation.outputFields as { key: string }[];
    expect(triggerFields.map(label)).toEqual(
      expect.arrayContaining((action.operation.outputFields as { key: string }[]).map(label)),
    );
  });
});

describe('create_contact: request', () => {
  it.each([
    ['+44 (0) 20 7946 0958', '+442079460958'],
    ['+44(0)2079460958', '+442079460958'],
    ['+33 (0)1 23 45 67 89', '+33123456789'],
    ['+1 (212) 555-0100', '+12125550100'],
    ['(0) 20 7946 0958', '02079460958'],
  ])('sends %s as %s (a trunk (0) after the country code is dropped)', async (input, sent) => {
    expectCreate({ name: 'Ada', phoneNumber: sent, tags: [] });
    await create({ name: 'Ada', phoneNumber: input });
  });

  it('sends the minimal input with an empty tag list, phone separators removed', async () => {
    expectCreate({ name: 'Ada Lovelace', phoneNumber: '+442079460958', tags: [] });
    const out = await create({ name: ' Ada Lovelace ', phoneNumber: '+44 (20) 7946-0958' });
    expect(out).toMatchObject({ id: 'contact_42', name: 'Ada Lovelace' });
  });

  it('sends the full input, tags trimmed, blanks and repeats dropped', async () => {
    const body = {
      name: 'Ada Lovelace',
      phoneNumber: '0033123456789',
      email: 'ada@example.com',
      position: 'Analyst',
      currentCompany: 'Engines Ltd',
      tags: ['lead', 'vip', 'partner'],
    };
    expectCreate(body);
    await create({
      name: 'Ada Lovelace',
      phoneNumber: '00 33 1.23.45.67.89',
      email: ' ada@example.com ',
      position: 'Analyst',
      currentCompany: 'Engines Ltd',
      tags: ['lead', ' vip ', '', 'lead', 'partner'],
    });
  });

  it.each([
    ['one comma-separated string', 'lead, vip,,lead', ['lead', 'vip']],
    // a tag holds no comma: each line is split at commas too (filters keep a line whole)
    ['lines holding commas', ['lead, vip', 'partner', ' , ', 'vip'], ['lead', 'vip', 'partner']],
    ['a JSON list in text', ' ["lead", "vip, gold", 7, null, "lead"] ', ['lead', 'vip, gold', '7']],
    ['a JSON list in a line', ['["lead","vip"]', 'partner'], ['lead', 'vip', 'partner']],
    ['text that only looks like JSON', ['[lead'], ['[lead']],
    ['empty', '', []],
    ['an empty mapped value', [''], []],
  ])('accepts tags as %s', async (_what, tags, sent) => {
    expectCreate({ name: 'Ada', phoneNumber: '+33123456789', tags: sent });
    await create({ name: 'Ada', phoneNumber: '+33123456789', tags });
  });

  it.each([
    ['Jane Smith <jane@example.com>'],
    ['"Smith, Jane" <jane@example.com>'],
    ['<jane@example.com>'],
    ['Jane < jane@example.com >'],
    ['mailto:jane@example.com'],
    ['<MAILTO:jane@example.com>'],
    ['jane@example.com;'],
    ['jane@example.com , '],
    ['ja\u200bne@exam\u2060ple.com\u200d'],
    // bidi isolates and overrides, the Arabic letter mark, the combining grapheme joiner, Hangul
    // fillers, variation selectors and tag characters show nothing either
    ['jane\u2066@example.com'],
    ['jane\u202e@example.com'],
    ['jane@exam\u034fple.com'],
    ['\u202ajane\u061c@\u2069example\u115f\u1160\uffa0.com\ufe0f\u{e0041}'],
  ])('sends only the address of the Email %j', async (email) => {
    expectCreate({ name: 'Ada', phoneNumber: '+33123456789', email: 'jane@example.com', tags: [] });
    await create({ name: 'Ada', phoneNumber: '+33123456789', email });
  });

  it('sends an address whose domain is not ASCII as it is', async () => {
    expectCreate({ name: 'Ada', phoneNumber: '+33123456789', email: 'léa@café.fr', tags: [] });
    await create({ name: 'Ada', phoneNumber: '+33123456789', email: 'léa@café.fr' });
  });

  it('omits blank optional fields and accepts a phone number mapped as a number', async () => {
    expectCreate({ name: 'Ada', phoneNumber: '33123456789', tags: [] });
    await create({ name: 'Ada', phoneNumber: 33123456789, email: '', position: '   ' });
  });
});

describe("create_contact: Zapier's template syntax in a value reaches ISAO as written", () => {
  it('sends {{bundle.…}} and {{process.…}} literally, substituting nothing, however long', async () => {
    const position = `{{process.env.HOME}} ${'{{bundle.authData.api_key}}'.repeat(2000)}`;
    const body = {
      name: 'Ada {{bundle.inputData.name}}',
      phoneNumber: '+33123456789',
      position,
      currentCompany: '{{ bundle.authData.api_key }}',
      tags: ['{{process.env.SECRET}}', '{{bundle.meta.limit}}'],
    };
    expectCreate(body);
    const out = await create({ ...body, phoneNumber: '+33 1 23 45 67 89' });
    expect(out).toMatchObject({ name: body.name, position });
  });
});

describe('create_contact: bad input is refused before any request', () => {
  let unmatched: jest.Mock;
  beforeEach(() => {
    unmatched = jest.fn();
    nock.emitter.on('no match', unmatched);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', unmatched);
    expect(unmatched).not.toHaveBeenCalled();
  });

  it.each([
    [{ name: '  ', phoneNumber: '+33123456789' }, 'Name is required: the Name field is empty.'],
    [{ phoneNumber: '+33123456789' }, 'Name is required'],
    [{ name: 'Ada' }, 'Phone Number is required: the Phone Number field is empty.'],
    [{ name: 'Ada', phoneNumber: 'call me' }, 'Phone Number "call me" is not a phone number.'],
    [{ name: 'Ada', phoneNumber: '12345' }, 'Phone Number "12345" is not a phone number.'],
    [{ name: 'Ada', phoneNumber: '1234567890123456' }, 'It must have 6 to 15 digits.'],
    [{ name: 'Ada', phoneNumber: '33+123456789' }, 'optionally starting with +'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'ada@' }, 'Email "ada@" is not a valid'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'a b@c.io' }, 'Email "a b@c.io"'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'ada@example' }, 'Email "ada@example"'],
    [{ name: '\u200b\ufeff\u00a0', phoneNumber: '+33123456789' }, 'Name is required'],
    [{ name: 'Ada', phoneNumber: '\u200b \u2060' }, 'Phone Number is required'],
    [{ name: 'Ada', phoneNumber: '+33123456789', tags: '  ' }, 'Tags holds only blank values'],
    [{ name: 'Ada', phoneNumber: '+33123456789', tags: '[" ", ""]' }, 'Tags holds only blank'],
    [
      { name: 'Ada', phoneNumber: '+33123456789', email: 'a@x.io; b@y.io' },
      'Email "a@x.io; b@y.io"',
    ],
    [
      { name: 'Ada', phoneNumber: '+33123456789', email: 'a@x.io?subject=1' },
      'expected one address',
    ],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'Ada <a@x.io' }, 'Email "Ada <a@x.io"'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: '<a@x.io> Ada' }, 'Email "<a@x.io> Ada"'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'Ada <>' }, 'Email "Ada <>"'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'mailto:' }, 'Email "mailto:"'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'a@x_y.io' }, 'Email "a@x_y.io"'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'a"b@x.io' }, 'Email "a"b@x.io"'],
    // what is left must be visible: a control or private-use character is no part of an address
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'ja\u0001ne@x.io' }, 'Email "ja\u0001ne'],
    [{ name: 'Ada', phoneNumber: '+33123456789', email: 'ja\ue000ne@x.io' }, 'Email "ja\ue000ne'],
    [
      { name: 'Ada', phoneNumber: '+33123456789', tags: ['lead', { name: 'vip' }] },
      'Tags holds "{"name":"vip"}", which is not a tag: each tag must be text',
    ],
    [{ name: 'Ada', phoneNumber: '+33123456789', tags: '[["a"]]' }, 'Tags holds "["a"]"'],
    [{ name: 'Ada', phoneNumber: '+33123456789', tags: [true] }, 'Tags holds "true"'],
    [{ name: 'Ada', phoneNumber: '+33123456789', tags: [' ', ',', '\u200b'] }, 'Tags holds only'],
  ])(
    '%j → an error naming the field (not a halt: the user must fix it)',
    async (inputData, message) => {
      const error = await caught(() => create(inputData));
      expect(error.name).toBe('AppError');
      expect(errorText(error)).toContain(message);
      expect(appError(error).code).toMatch(/^invalid_(name|phoneNumber|email|tags)$/);
      expect(appError(error).status).toBe(400);
    },
  );

  it('refuses a huge Email holding a long run of separators in linear time', async () => {
    const email = `a${' ;'.repeat(50_000)}b@x.io`;
    const started = performance.now();
    const error = await caught(() => create({ name: 'Ada', phoneNumber: '+33123456789', email }));
    expect(errorText(error)).toContain(`Email "a ; ; ;`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('quotes at most about 100 characters of a huge value', async () => {
    const phone = '9'.repeat(100_000);
    const error = await caught(() => create({ name: 'Ada', phoneNumber: phone }));
    const message = errorText(error);
    expect(message).toContain(`Phone Number "${'9'.repeat(99)}…" is not a phone number.`);
    expect(message.length).toBeLessThan(400);
  });
});

describe('create_contact: response', () => {
  it("a 422 is an error naming the field ISAO refused, with ISAO's message (never a halt)", async () => {
    api()
      .post(apiPath('/contacts'))
      .reply(422, {
        success: false,
        message: 'Validation failed',
        errors: [{ field: 'phoneNumber', message: 'is already used by another contact' }],
      });
    const error = await caught(() => create({ name: 'Ada', phoneNumber: '+33123456789' }));
    expect(appError(error)).toEqual({
      message:
        'ISAO refused the values this step sent (422 Unprocessable Entity): Validation failed (phoneNumber: is already used by another contact). Fix the field ISAO named (phoneNumber) and run the step again.',
      code: 'invalid_input',
      status: 422,
    });
    expect(error.name).toBe('AppError');
  });

  it('names the contacts:write permission on 403', async () => {
    api().post(apiPath('/contacts')).reply(403, { error: 'Insufficient permissions' });
    const error = await caught(() => create({ name: 'Ada', phoneNumber: '+33123456789' }));
    expect(errorText(error)).toContain('lacks the `contacts:write` permission');
  });

  it('says so when ISAO answers without the contact', async () => {
    api().post(apiPath('/contacts')).reply(201, { success: true });
    const error = await caught(() => create({ name: 'Ada', phoneNumber: '+33123456789' }));
    expect(appError(error)).toEqual({
      message:
        'ISAO answered the Create Contact request without the new contact\'s details, so they cannot be passed to the next step. Check in ISAO whether "Ada" was created before running this step again.',
      code: 'invalid_response',
      status: 502,
    });
  });

  it('fails naming the missing ID when ISAO answers without one, never making one up', async () => {
    api()
      .post(apiPath('/contacts'))
      .reply(201, { success: true, data: { name: 'Ada', identifier: 'c_1' } });
    const error = await caught(() => create({ name: 'Ada', phoneNumber: '+33123456789' }));
    expect(appError(error)).toEqual({
      message:
        'ISAO answered the Create Contact request without the new contact\'s ID (its answer has no id, contactId or contact_id), so the next step could not refer to it. Check in ISAO whether "Ada" was created before running this step again.',
      code: 'invalid_response',
      status: 502,
    });
  });

  it.each([
    [{ contactId: 'c_7' }, 'c_7'],
    [{ contact_id: 8 }, 8],
    [{ id: '', contactId: 'c_9' }, 'c_9'],
  ])('takes the id ISAO gives in %j', async (answer, id) => {
    expectCreate({ name: 'Ada', phoneNumber: '+33123456789', tags: [] }, answer);
    expect(await create({ name: 'Ada', phoneNumber: '+33123456789' })).toMatchObject({ id });
  });

  it('keeps what was sent where ISAO echoes only the id', async () => {
    expectCreate({ name: 'Ada', phoneNumber: '+33123456789', tags: ['vip'] }, { id: 'c_1' });
    const out = await create({ name: 'Ada', phoneNumber: '+33 1 23 45 67 89', tags: 'vip' });
    expect(out).toMatchObject({ id: 'c_1', name: 'Ada', phoneNumber: '+33123456789' });
  });

  it('returns exactly its output fields, even when ISAO sends more', async () => {
    expectCreate(
      { name: 'Ada', phoneNumber: '+33123456789', tags: [] },
      { id: 'c_3', name: 'Ada', internalScore: 7, secretNotes: 'x' },
    );
    const out = await create({ name: 'Ada', phoneNumber: '+33123456789' });
    const keys = (action.operation.outputFields as { key: string }[]).map((f) => f.key);
    expect(Object.keys(out).sort()).toEqual([...keys].sort());
    expect(out).toMatchObject({ id: 'c_3', email: null, companyId: null });
  });

  it('shows what ISAO stored, not what was typed, where the two differ', async () => {
    expectCreate(
      { name: 'ada lovelace', phoneNumber: '+33123456789', tags: [] },
      { id: 'c_2', name: 'Ada Lovelace', phoneNumber: '+33 1 23 45 67 89' },
    );
    const out = await create({ name: 'ada lovelace', phoneNumber: '+33123456789' });
    expect(out).toMatchObject({ name: 'Ada Lovelace', phoneNumber: '+33 1 23 45 67 89' });
  });

  it('returns the contact with the fields the New Contact trigger delivers for it', async () => {
    expectCreate({ name: 'Ada Lovelace', phoneNumber: '+442079460958', tags: ['lead'] }, CREATED);
    const out = await create({ name: 'Ada Lovelace', phoneNumber: '+442079460958', tags: 'lead' });
    const [fromTrigger] = await appTester(App.triggers.new_contact.operation.perform, {
      authData,
      cleanedRequest: { event: 'contact.created', timestamp: CREATED.createdAt, data: CREATED },
    });
    const contactFields = Object.entries(fromTrigger!).filter(([k]) => !k.startsWith('isao_event'));
    expect(out).toEqual(Object.fromEntries(contactFields));
    // every declared contact field is there, null where ISAO did not send it
    expect(out).toMatchObject({ ...CREATED, position: null, city: null });
    expect(out).not.toHaveProperty('isao_event');
  });
});
