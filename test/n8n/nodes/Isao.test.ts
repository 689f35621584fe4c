/**
 * The ISAO node (Contact → Create) through its class, with the mock contexts: the request ISAO
 * gets, the same validation and output as the Zapier app's Create Contact (run side by side
 * here), errors naming the field and the item, and Continue On Fail.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { api, apiPath, appTester, authData, caught, fullBundle } from '../../helpers';
import { operation } from '../../../src/creates/create_contact';
import { Isao } from '../../../n8n/nodes/Isao/Isao.node';
import { CONTACT_INPUTS } from '../../../core/contacts';
import { API_KEY, at, executeContext, isao } from '../contexts';

// made in each test, so the mutation run sees which test reads which part of the node
let node: Isao;
beforeEach(() => {
  node = new Isao();
});

const CREATED = {
  id: 'contact_42',
  name: 'Ada Lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace',
  phoneNumber: '+442079460958',
  email: 'ada@example.com',
  tags: ['lead', 'vip'],
  createdAt: '2024-11-08T10:30:00.000Z',
};

const ADA = {
  name: 'Ada Lovelace',
  phoneNumber: '+44 (0) 20 7946 0958',
  email: 'Ada <ada@example.com>',
  tags: 'lead, vip',
};

const SENT = {
  name: 'Ada Lovelace',
  phoneNumber: '+442079460958',
  email: 'ada@example.com',
  tags: ['lead', 'vip'],
};

const run = (items: Record<string, unknown>[], continueOnFail = false) =>
  node.execute.call(executeContext(items, { continueOnFail }).context);

describe('description', () => {
  it("shows in n8n's editor as ISAO, with the operation as its subtitle", () => {
    expect(node.description).toEqual({
      ...node.description,
      displayName: 'ISAO',
      name: 'isao',
      icon: { light: 'file:../../icons/isao.svg', dark: 'file:../../icons/isao.dark.svg' },
      group: ['output'],
      version: 1,
      subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
      description: 'Create contacts in the ISAO CRM',
      defaults: { name: 'ISAO' },
      inputs: ['main'],
      outputs: ['main'],
      usableAsTool: true,
      credentials: [{ name: 'isaoApi', required: true, testedBy: 'isaoApiTest' }],
    });
    const contactFields = node.description.properties.slice(2);
    expect(contactFields.map((p) => [p.type, p.default, p.displayOptions])).toEqual(
      CONTACT_INPUTS.map(() => [
        'string',
        '',
        { show: { resource: ['contact'], operation: ['create'] } },
      ]),
    );
    expect(
      node.description.properties
        .slice(0, 2)
        .map((p) => [p.displayName, p.type, p.noDataExpression, p.default, p.displayOptions]),
    ).toEqual([
      ['Resource', 'options', true, 'contact', undefined],
      ['Operation', 'options', true, 'create', { show: { resource: ['contact'] } }],
    ]);
  });

  it('is Contact → Create with the fields of Create Contact, usable as a tool', () => {
    const { properties } = node.description;
    expect(properties.slice(0, 2).map((p) => [p.name, p.options])).toEqual([
      ['resource', [{ name: 'Contact', value: 'contact' }]],
      [
        'operation',
        [
          {
            name: 'Create',
            value: 'create',
            action: 'Create a contact',
            description: 'Create a new contact',
          },
        ],
      ],
    ]);
    expect(
      properties.slice(2).map((p) => [p.name, p.displayName, p.required, p.description]),
    ).toEqual(
      CONTACT_INPUTS.map((input) => [input.key, input.label, input.required, input.helpText]),
    );
    expect(properties.slice(2).map((p) => p.name)).toEqual([
      'name',
      'phoneNumber',
      'email',
      'position',
      'currentCompany',
      'tags',
    ]);
    expect(node.description.usableAsTool).toBe(true);
    expect(node.description.name).toBe('isao');
  });
});

describe('Create Contact', () => {
  it('sends the checked, normalised contact and gives what the Zapier action gives', async () => {
    isao()
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .post(at('/contacts'), SENT)
      .reply(201, { success: true, data: CREATED });
    api().post(apiPath('/contacts'), SENT).reply(201, { success: true, data: CREATED });

    const [items] = await run([ADA]);
    const zapier = await appTester(operation.perform, fullBundle({ authData, inputData: ADA }));

    expect(items).toEqual([{ json: zapier, pairedItem: { item: 0 } }]);
    expect(zapier).toEqual(expect.objectContaining({ id: 'contact_42', email: 'ada@example.com' }));
  });

  it.each([
    ['lines', 'lead\nvip', ['lead', 'vip']],
    ['Windows lines, commas within a line', 'lead\r\nvip, partner', ['lead', 'vip', 'partner']],
    ['old Mac lines and a blank line', 'lead\r\rvip\n \n', ['lead', 'vip']],
    [
      'Unicode line and paragraph separators',
      'lead\u2028vip\u2029partner',
      ['lead', 'vip', 'partner'],
    ],
    ['a vertical tab, a form feed, a next-line', 'a\u000bb\u000cc\u0085d', ['a', 'b', 'c', 'd']],
    ['a list whose entry has lines', ['lead\nvip', 'partner'], ['lead', 'vip', 'partner']],
    [
      'a JSON list written on several lines',
      '[\n  "lead",\n  "vip, gold"\n]',
      ['lead', 'vip, gold'],
    ],
    ['a tag repeated on another line', 'lead\nLead\nlead', ['lead', 'Lead']],
  ])(
    'sends one tag per line of Tags, as the Zapier action does (%s)',
    async (_name, tags, sent) => {
      const item = { ...ADA, tags };
      isao()
        .post(at('/contacts'), { ...SENT, tags: sent })
        .reply(201, { data: CREATED });
      api()
        .post(apiPath('/contacts'), { ...SENT, tags: sent })
        .reply(201, { data: CREATED });

      const [items] = await run([item]);
      const zapier = await appTester(operation.perform, fullBundle({ authData, inputData: item }));

      expect(items).toEqual([{ json: zapier, pairedItem: { item: 0 } }]);
    },
  );

  it('creates one contact per item', async () => {
    isao()
      .post(at('/contacts'))
      .times(2)
      .reply(201, (_uri, body) => ({ data: { id: 'c', ...Object(body) } }));

    const [items] = await run([ADA, { ...ADA, name: 'Grace Hopper' }]);

    expect(items?.map((item) => [item.json.name, item.pairedItem])).toEqual([
      ['Ada Lovelace', { item: 0 }],
      ['Grace Hopper', { item: 1 }],
    ]);
  });

  it.each([
    [
      { ...ADA, name: ' ' },
      "Name is required: the Name field is empty. Enter or map the contact's full name.",
    ],
    [
      { ...ADA, phoneNumber: '12' },
      'Phone Number "12" is not a phone number. Use digits, optionally starting with + and the country code (for example +33 1 23 45 67 89); spaces, dashes, dots and parentheses are allowed. It must have 6 to 15 digits.',
    ],
    [
      { ...ADA, email: 'ada at example' },
      'Email "ada at example" is not a valid email address: expected one address, such as jane@example.com. Leave Email empty to create the contact without one.',
    ],
    [
      { ...ADA, tags: ' , ' },
      'Tags holds only blank values (spaces, commas or invisible characters). Enter or map at least one tag, or leave Tags empty.',
    ],
  ])(
    'refuses an invalid field before any request, naming it and the item',
    async (item, message) => {
      const first = isao().post(at('/contacts')).reply(201, { data: CREATED });

      const error = await caught(() => run([ADA, item]));

      expect(first.isDone()).toBe(true);

      expect(error).toBeInstanceOf(NodeOperationError);
      expect(error.message).toBe(message);
      expect(error instanceof NodeOperationError && error.context.itemIndex).toBe(1);
    },
  );

  it("keeps its message when the value it quotes looks like a system error (n8n's constructors would replace it)", async () => {
    const error = await caught(() => run([{ ...ADA, phoneNumber: 'ETIMEDOUT' }]));

    expect(error.message).toBe(
      'Phone Number "ETIMEDOUT" is not a phone number. Use digits, optionally starting with + and the country code (for example +33 1 23 45 67 89); spaces, dashes, dots and parentheses are allowed. It must have 6 to 15 digits.',
    );
  });

  it('names the fields ISAO refuses (422), with the item', async () => {
    isao()
      .post(at('/contacts'))
      .reply(422, { message: 'Validation failed', errors: { email: ['is already taken'] } });

    const error = await caught(() => run([ADA]));

    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toBe(
      'ISAO refused the values this step sent (422 Unprocessable Entity): Validation failed (email: is already taken). Fix the field ISAO named (email) and run the step again.',
    );
    expect(error instanceof NodeApiError && error.context.itemIndex).toBe(0);
  });

  it('names the permission when ISAO refuses the key (403)', async () => {
    isao().post(at('/contacts')).reply(403, { message: 'Forbidden' });

    const error = await caught(() => run([ADA]));

    expect(error.message).toBe(
      'ISAO refused this request (403 Forbidden: Forbidden). The API key lacks the `contacts:write` permission: give the key that permission in your ISAO dashboard, or connect a key that has it.',
    );
  });

  it('fails, never inventing an id, when the answer has none', async () => {
    isao()
      .post(at('/contacts'))
      .reply(201, { success: true, data: { name: 'Ada Lovelace' } });

    const error = await caught(() => run([ADA]));

    expect(error.message).toBe(
      'ISAO answered the Create Contact request without the new contact\'s ID (its answer has no id, contactId or contact_id), so the next step could not refer to it. Check in ISAO whether "Ada Lovelace" was created before running this step again.',
    );
  });

  it("passes on an error that is not the node's own as it is", async () => {
    const { context } = executeContext([ADA]);
    const failure = new Error('parameter could not be resolved');
    context.getNodeParameter = () => {
      throw failure;
    };

    expect(await caught(() => node.execute.call(context))).toBe(failure);
  });

  it('with Continue On Fail, gives the failed item its error and goes on with the others', async () => {
    isao().post(at('/contacts')).reply(201, { data: CREATED });

    const [items] = await run([{ ...ADA, phoneNumber: '' }, ADA], true);

    expect(items).toEqual([
      {
        json: {
          error:
            'Phone Number is required: the Phone Number field is empty. Use digits, optionally starting with + and the country code (for example +33 1 23 45 67 89); spaces, dashes, dots and parentheses are allowed.',
        },
        pairedItem: { item: 0 },
      },
      expect.objectContaining({
        json: expect.objectContaining({ id: 'contact_42' }),
        pairedItem: { item: 1 },
      }),
    ]);
  });
});
