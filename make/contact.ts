/**
 * Create a contact: the core's inputs (core/contacts.ts `CONTACT_INPUTS`) as Make's mappable
 * parameters, the phone number checked by Make before the call and sent normalised as the core
 * normalises it.
 */
import {
  CONTACT_INPUTS,
  CONTACT_SAMPLE,
  createContactCall,
  PHONE,
  PHONE_SEPARATORS,
  TRUNK_PREFIX,
} from '../core/contacts';
import { contact } from '../core/entities';
import { CONNECTION_ID, request, type ModuleDef } from './component';
import { responseFor } from './errors';
import { at, interfaceOf, mapTree } from './fields';
import { fn, iml, imlRegex, imlText, type JsonObject, type MakeParam } from './iml';

/**
 * The pattern Make checks a phone number against before the call: what the core accepts once
 * separators are removed (core/contacts.ts), written over the text as typed: up to 15 digits
 * (the core's E.164 bound), each after any run of the core's separators, after an optional `+`.
 */
export const phonePattern = (): string => {
  const digits = /\{(\d+),(\d+)\}/.exec(PHONE.source);
  if (!digits) throw new Error('core/contacts.ts PHONE no longer bounds its digits');
  const separator = PHONE_SEPARATORS.source;
  return `^${separator}*\\+?(?:${separator}*\\d){${digits[1] ?? ''},${digits[2] ?? ''}}${separator}*$`;
};

/** The phone number as the core sends it: the `(0)` trunk prefix, then the separators, removed. */
const NORMALISED_PHONE = iml(
  fn(
    'replace',
    fn('replace', 'parameters.phoneNumber', imlRegex(TRUNK_PREFIX), imlText('$1')),
    imlRegex(PHONE_SEPARATORS),
    'emptystring',
  ),
);

/** Create Contact's inputs (core/contacts.ts) as Make's mappable parameters. */
const contactInputs = (): MakeParam[] =>
  CONTACT_INPUTS.map((input): MakeParam => {
    const base = {
      name: input.key,
      label: input.label,
      help: input.helpText,
      required: input.required,
    };
    if ('list' in input)
      return { ...base, type: 'array', spec: { name: 'value', type: 'text', label: 'Tag' } };
    if (input.key === 'phoneNumber')
      return { ...base, type: 'text', validate: { pattern: phonePattern() } };
    return { ...base, type: 'text' };
  });

/** What Create Contact sends: each input as typed, the phone number normalised as the core does. */
const contactBody = (): JsonObject =>
  Object.fromEntries(
    CONTACT_INPUTS.map((input) => [
      input.key,
      input.key === 'phoneNumber' ? NORMALISED_PHONE : iml(`parameters.${input.key}`),
    ]),
  );

export const createContact = (): ModuleDef => {
  const call = createContactCall(contactBody());
  return {
    id: 'createContact',
    label: 'Create a Contact',
    description: 'Creates a contact in ISAO.',
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
