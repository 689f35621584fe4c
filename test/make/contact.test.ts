/**
 * How Create a contact's checks follow the core's patterns (make/contact.ts): the phone number's
 * bound read from the core's, and a core whose patterns or Tags help the generator can no longer
 * follow stops it with a sentence, never a module that checks otherwise than the core. What the
 * checks and the body do on real inputs is in create-contact.test.ts.
 */
import { emailPattern, makeHelp, phonePattern } from '../../make/contact';
import { moduleNamed, paramsOf } from './app-code';
import { record } from './app-files';

test('the patterns are the ones Create a contact checks', () => {
  const params = paramsOf(moduleNamed('createContact'), 'mappableParams');
  const pattern = (name: string) =>
    record(params.find((param) => param.name === name)?.validate, name).pattern;
  expect(emailPattern()).toBe(pattern('email'));
  expect(phonePattern()).toBe(pattern('phoneNumber'));
  // a $ or a ^ inside the core's address pattern is kept
  expect(emailPattern(/^[^$\s]+@x$/)).toContain('[^$\\s]+@x)');
});

test('the phone number’s bound is the core’s, whatever its digits', () => {
  expect(phonePattern(/^\+?\d{10,12}$/)).toMatch(/\\d\)\{10,12\}/);
  expect(() => phonePattern(/^\+?\d+$/)).toThrow(
    'core/contacts.ts PHONE no longer bounds its digits',
  );
});

test('an address pattern with Unicode classes Make cannot check stops the generator', () => {
  expect(() => emailPattern(/^\p{Lu}+@\p{Ll}+$/u)).toThrow(
    'core/contacts.ts reads an address in a way this pattern does not follow',
  );
  expect(() => emailPattern(undefined, /x+$/)).toThrow('no character class in x+$');
});

test('Tags’ help worded anew by the core stops the generator', () => {
  expect(() => makeHelp('tags', 'One tag per line.')).toThrow(
    "core/contacts.ts words Tags' help anew: One tag per line.",
  );
  expect(makeHelp('name', 'One name per line.')).toBe('One name per line.');
});
