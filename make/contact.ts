/**
 * Create a contact: the core's inputs (core/contacts.ts `CONTACT_INPUTS`) as Make's mappable
 * parameters, checked by Make before the call where the core refuses a value (a blank name, a
 * phone number or an email address the core would not take), and sent as the core sends them
 * (`contactBody`): trimmed, the phone number normalised, the address unwrapped from
 * `Name <…>`, `mailto:` and trailing separators, the tags split at commas, trimmed, without
 * blanks or repeats. IML can split and trim a list (Make's text and array functions); what it
 * cannot do as the core does is in docs/make.md.
 */
import {
  CONTACT_INPUTS,
  CONTACT_SAMPLE,
  createContactCall,
  EMAIL,
  MAILTO,
  NAME_ADDR,
  PHONE,
  PHONE_SEPARATORS,
  TRAILING_SEPARATORS,
  TRUNK_PREFIX,
} from '../core/contacts';
import { contact } from '../core/entities';
import { CONNECTION_ID, request, type ModuleDef } from './component';
import { responseFor } from './errors';
import { at, interfaceOf, mapTree } from './fields';
import { fn, iml, imlRegex, imlText, textList, type JsonObject, type MakeParam } from './iml';

type ContactKey = (typeof CONTACT_INPUTS)[number]['key'];

/**
 * The pattern Make checks a phone number against before the call: what the core accepts once
 * separators are removed (core/contacts.ts), written over the text as typed: up to 15 digits
 * (the core's E.164 bound), each after any run of the core's separators, after an optional `+`.
 */
export const phonePattern = (phone: RegExp = PHONE): string => {
  const digits = /\{\d+,\d+\}/.exec(phone.source)?.[0];
  if (digits === undefined) throw new Error('core/contacts.ts PHONE no longer bounds its digits');
  const separator = PHONE_SEPARATORS.source;
  return `^${separator}*\\+?(?:${separator}*\\d)${digits}${separator}*$`;
};

/** A character class of the core's: its first `[…]`. */
const classOf = (regex: RegExp): string => {
  const found = /\[[^\]]*\]/.exec(regex.source)?.[0];
  if (found === undefined) throw new Error(`no character class in ${regex.source}`);
  return found;
};

/**
 * The pattern Make checks an email address against before the call: what the core reads as one
 * address (`emailAddress`), written over the text as typed: `Name <address>` or the address,
 * either after an optional `mailto:`, then any trailing separators. Make's check has no Unicode
 * classes: the core's "no control character" is the C0 and C1 controls here, and its letters of
 * any script in a domain are any character beyond ASCII.
 */
export const emailPattern = (
  email: RegExp = EMAIL,
  trailing: RegExp = TRAILING_SEPARATORS,
): string => {
  const address = email.source
    .replace(/^\^|\$$/g, '')
    .replaceAll('\\p{C}', '\\x00-\\x1f\\x7f-\\x9f')
    .replaceAll('\\p{L}\\p{M}\\p{N}', 'A-Za-z0-9\\u0080-\\uffff');
  // Stryker disable next-line Regex: MAILTO's source holds one ^, its first character
  const mailtoSource = MAILTO.source.replace(/^\^/, '');
  const mailto = `(?:${mailtoSource.replace(/[a-z]/g, (c) => `[${c.toUpperCase()}${c}]`)})?`;
  // Stryker disable next-line Regex: NAME_ADDR's source holds one $, its last character
  const nameAddr = NAME_ADDR.source.replace(/^\^|\$$/g, '');
  const named = nameAddr.replace('([^<>]*)', `\\s*${mailto}${address}\\s*`);
  if (`${address}${named}`.includes('\\p{') || !named.includes(address))
    throw new Error('core/contacts.ts reads an address in a way this pattern does not follow');
  return `^\\s*(?:${named}|${mailto}${address})${classOf(trailing)}*$`;
};

/** What Make checks before the call, where the core refuses a value. */
const PATTERNS: Partial<Record<ContactKey, string>> = {
  name: '\\S',
  phoneNumber: phonePattern(),
  email: emailPattern(),
};

/** An optional text as the core sends it: trimmed, left out when blank. */
const trimmedOrNone = (value: string) =>
  fn('ifempty', fn('trim', fn('ifempty', value, 'emptystring')), 'undefined');

/** The address as the core reads it (core/contacts.ts `emailAddress`), in its order. */
const ADDRESS = [
  (value: string) => fn('replace', value, imlRegex(TRAILING_SEPARATORS), 'emptystring'),
  (value: string) => fn('trim', fn('replace', value, imlRegex(NAME_ADDR), imlText('$1'))),
  (value: string) => fn('replace', value, imlRegex(MAILTO), 'emptystring'),
].reduce(
  (value, step) => step(value),
  fn('trim', fn('ifempty', 'parameters.email', 'emptystring')),
);

/** What Create a contact sends for each input. */
const BODY: Readonly<Record<ContactKey, string>> = {
  name: fn('trim', 'parameters.name'),
  // the `(0)` trunk prefix, then the separators, removed (core/contacts.ts `normalisePhone`)
  phoneNumber: fn(
    'replace',
    fn('replace', 'parameters.phoneNumber', imlRegex(TRUNK_PREFIX), imlText('$1')),
    imlRegex(PHONE_SEPARATORS),
    'emptystring',
  ),
  email: fn('ifempty', ADDRESS, 'undefined'),
  position: trimmedOrNone('parameters.position'),
  currentCompany: trimmedOrNone('parameters.currentCompany'),
  tags: textList('parameters.tags', ','),
};

/** The core's help, where Make's list differs from Zapier's lines: one tag per item, no JSON. */
export const makeHelp = (key: ContactKey, help: string): string => {
  // Stryker disable next-line ConditionalExpression: no other input's help speaks of lines or a JSON list, which is all the rewording changes
  if (key !== 'tags') return help;
  const worded = help
    .replace(
      'Add or map one tag per line, or several separated by commas',
      'Add or map one tag per item, or several in one item separated by commas',
    )
    .replace(/ A JSON list[^.]*\./, '');
  if (/line|JSON/.test(worded)) throw new Error(`core/contacts.ts words Tags' help anew: ${help}`);
  return worded;
};

/** Create a contact's inputs (core/contacts.ts) as Make's mappable parameters. */
const contactInputs = (): MakeParam[] =>
  CONTACT_INPUTS.map((input): MakeParam => {
    const pattern = PATTERNS[input.key];
    const base = {
      name: input.key,
      label: input.label,
      help: makeHelp(input.key, input.helpText),
      required: input.required,
      ...(pattern === undefined ? {} : { validate: { pattern } }),
    };
    if ('list' in input)
      return { ...base, type: 'array', spec: { name: 'value', type: 'text', label: 'Tag' } };
    return { ...base, type: 'text' };
  });

const body = (): JsonObject =>
  Object.fromEntries(CONTACT_INPUTS.map(({ key }) => [key, iml(BODY[key])]));

export const createContact = (): ModuleDef => {
  const call = createContactCall(body());
  return {
    id: 'createContact',
    label: 'Create a contact',
    description: 'Creates a new contact.',
    moduleType: 'action',
    actionCrud: 'create',
    connection: CONNECTION_ID,
    codes: {
      // the created contact, bare or in `data`
      communication: {
        ...request(call),
        response: responseFor(call, { output: iml(fn('ifempty', 'body.data', 'body')) }),
      },
      staticParams: [],
      mappableParams: contactInputs(),
      interface: interfaceOf(contact.outputFields),
      samples: mapTree(contact.outputFields, (path) => at(CONTACT_SAMPLE, path)),
    },
  };
};
