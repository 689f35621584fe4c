/**
 * Create Contact's rules as every platform applies them (core/contacts.ts): each refusal names
 * its field, and the created contact never carries a made-up id. The same rules through Zapier's
 * runtime: test/creates/create_contact.test.ts; through n8n's: test/n8n/.
 */
import { CONTACT_INPUTS, contactBody, createdContact } from '../../core/contacts';

describe('the contact to send', () => {
  it('normalises what was typed: the phone to digits, the email to the address, tags to a list', () => {
    expect(
      contactBody({
        name: ' Jane Smith ',
        phoneNumber: '+44 (0) 20 7946 0958',
        email: 'Jane <jane@example.com>',
        tags: 'lead, vip',
      }),
    ).toEqual({
      body: {
        name: 'Jane Smith',
        phoneNumber: '+442079460958',
        email: 'jane@example.com',
        tags: ['lead', 'vip'],
      },
    });
  });

  it('reads Tags as one tag per line (any line break), several in a line at its commas', () => {
    const tagsOf = (tags: unknown) => contactBody({ name: 'J', phoneNumber: '+33123456789', tags });
    expect(tagsOf('lead\nvip, partner\r\ngold\rsilver\u2028bronze')).toEqual({
      body: expect.objectContaining({
        tags: ['lead', 'vip', 'partner', 'gold', 'silver', 'bronze'],
      }),
    });
    expect(tagsOf(['a\nb', 'c'])).toEqual({
      body: expect.objectContaining({ tags: ['a', 'b', 'c'] }),
    });
    expect(tagsOf('["x\\ny"]')).toEqual({ body: expect.objectContaining({ tags: ['x', 'y'] }) });
    for (const blank of [' \n , \r\n', '\u0085', ['\u2028', '\u0085']]) {
      expect(tagsOf(blank)).toEqual({
        field: 'tags',
        message: expect.stringMatching(/only blank values/),
      });
    }
    expect(tagsOf('')).toEqual({ body: expect.objectContaining({ tags: [] }) });
  });

  it.each([
    [{ phoneNumber: '+33123456789' }, 'name', /^Name is required/],
    [{ name: 'J' }, 'phoneNumber', /^Phone Number is required/],
    [{ name: 'J', phoneNumber: '12' }, 'phoneNumber', /^Phone Number "12" is not a phone number/],
    [{ name: 'J', phoneNumber: '+33123456789', email: 'a@b' }, 'email', /^Email "a@b" is not/],
    [{ name: 'J', phoneNumber: '+33123456789', tags: [{ a: 1 }] }, 'tags', /^Tags holds/],
    [{ name: 'J', phoneNumber: '+33123456789', tags: ' , ' }, 'tags', /only blank values/],
  ])('refuses %j naming %s', (inputData, field, message) => {
    const result = contactBody(inputData);
    expect(result).toEqual({ field, message: expect.stringMatching(message) });
  });

  it('offers the API fields, Name and Phone Number required', () => {
    expect(CONTACT_INPUTS.map(({ key, required }) => [key, required])).toEqual([
      ['name', true],
      ['phoneNumber', true],
      ['email', false],
      ['position', false],
      ['currentCompany', false],
      ['tags', false],
    ]);
  });
});

describe('the contact created', () => {
  const body = { name: 'Jane Smith', phoneNumber: '+33123456789', tags: [] };

  it('is what was sent, overridden by what ISAO answered, declared fields only', () => {
    const result = createdContact(body, { success: true, data: { id: 'c9', city: 'Lyon', x: 1 } });
    expect(result).toEqual({
      record: expect.objectContaining({ id: 'c9', name: 'Jane Smith', city: 'Lyon' }),
    });
    expect(result).not.toHaveProperty('record.x');
  });

  it('is never given a made-up id', () => {
    expect(createdContact(body, { success: true, data: { name: 'Jane Smith' } })).toEqual({
      message:
        'ISAO answered the Create Contact request without the new contact\'s ID (its answer has no id, contactId or contact_id), so the next step could not refer to it. Check in ISAO whether "Jane Smith" was created before running this step again.',
    });
    expect(createdContact(body, { success: true })).toEqual({
      message: expect.stringContaining("without the new contact's details"),
    });
  });
});
