/**
 * Creating a contact (`POST /contacts`), the same on every platform: the inputs offered, the
 * checks and normalisation of what a user typed or mapped (each refusal names its field), and the
 * created contact as the next step gets it, with the same fields the New Contact trigger gives.
 */
import { contact, type RawRecord } from './entities';
import { tagsField } from './filters';
import { isRecord, onlyBlanks, quote, readList, text, withoutHidden } from './inputs';
import { declaredOnly, idOf, toEntityRecord, type EntityRecord } from './records';
import { unwrapData, type IsaoCall } from './api';

/** Separators people put in phone numbers; they are dropped, a leading `+` is kept. */
export const PHONE_SEPARATORS = /[\s().\-/\u00a0]/g;
/**
 * A national trunk prefix written in parentheses after the country code, as in
 * `+44 (0) 20 7946 0958`: it is not dialled from abroad, so it is not part of the E.164 number.
 */
export const TRUNK_PREFIX = /^(\+\s*\d{1,3})[\s.\-\u00a0]*\(\s*0\s*\)/;
/** 6 to 15 digits (E.164's maximum), optionally after one leading `+`. */
export const PHONE = /^\+?\d{6,15}$/;
/**
 * One address: a local part of visible characters only (no space, no control, format, private-use
 * or unassigned character, none of the characters that separate or wrap addresses `<>()[]\,;:"`),
 * then a domain of labels of letters, digits and hyphens (an IDN's letters too).
 */
export const EMAIL = /^[^\s\p{C}@<>()[\]\\,;:"]+@[\p{L}\p{M}\p{N}-]+(\.[\p{L}\p{M}\p{N}-]+)+$/u;
/**
 * Separators left after an address copied from a list: `jane@example.com;`, `…, `. Matched only
 * from the start of the run (the lookbehind), so a long run inside the text stays linear.
 */
export const TRAILING_SEPARATORS = /(?<![\s,;])[\s,;]+$/;
/** An address as mail programs show it, `Jane Smith <jane@example.com>`: the part in brackets. */
export const NAME_ADDR = /^[^<>]*<([^<>]*)>$/;
export const MAILTO = /^mailto:/i;

const PHONE_HELP =
  'Use digits, optionally starting with + and the country code (for example +33 1 23 45 67 89); spaces, dashes, dots and parentheses are allowed.';

/**
 * Input the user must fix, naming the field: each platform raises it as an error (not a silent
 * drop), so the run is marked failed and can be run again once the data is right.
 */
export interface InputProblem {
  field: string;
  message: string;
}

const invalid = (field: string, message: string): InputProblem => ({ field, message });

/** A phone number as ISAO stores it: E.164-like, separators and a `(0)` trunk prefix removed. */
export const normalisePhone = (input: string): string =>
  input.replace(TRUNK_PREFIX, '$1').replace(PHONE_SEPARATORS, '');

/**
 * The one address in an Email input, as ISAO must store it: characters that show nothing (a
 * pasted zero-width space, a bidi isolate or override, a Hangul filler: `withoutHidden`) are
 * removed wherever they are, then a trailing separator, the
 * `Name <…>` or `<…>` around the address and a `mailto:` prefix are unwrapped. Undefined when
 * what is left is not one address; the caller names Email.
 */
export const emailAddress = (input: string): string | undefined => {
  const bare = withoutHidden(input).replace(TRAILING_SEPARATORS, '');
  const inner = (NAME_ADDR.exec(bare)?.[1] ?? bare).trim().replace(MAILTO, '');
  return EMAIL.test(inner) ? inner : undefined;
};

/** Every line break (a tag is one line): CR LF, LF, CR, VT, FF, NEL and the Unicode separators. */
const LINE_BREAK = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/;

/**
 * Tags as written: the core's list reading (one per entry, a JSON list's items, a text split at
 * its commas), then every line of each its own tag, blanks and repeats dropped. `lines` counts
 * the texts read before they were cut into lines, so that text holding only line breaks is named.
 */
const tagsOf = (value: unknown): { values: string[]; notText: unknown[]; lines: number } => {
  const read = readList(value, { splitLines: true });
  const lines = read.values.flatMap((tag) =>
    tag.split(LINE_BREAK).flatMap((line) => text(line) ?? []),
  );
  return { values: [...new Set(lines)], notText: read.notText, lines: read.values.length };
};

/** The request body, or an error naming the first field that is wrong. */
export const contactBody = (
  inputData: Record<string, unknown>,
): { body: RawRecord } | InputProblem => {
  const name = text(inputData.name);
  if (name === undefined) {
    return invalid(
      'name',
      "Name is required: the Name field is empty. Enter or map the contact's full name.",
    );
  }
  const phoneInput = text(inputData.phoneNumber);
  if (phoneInput === undefined) {
    return invalid(
      'phoneNumber',
      `Phone Number is required: the Phone Number field is empty. ${PHONE_HELP}`,
    );
  }
  const phoneNumber = normalisePhone(phoneInput);
  if (!PHONE.test(phoneNumber)) {
    return invalid(
      'phoneNumber',
      `Phone Number ${quote(phoneInput)} is not a phone number. ${PHONE_HELP} It must have 6 to 15 digits.`,
    );
  }
  const emailInput = text(inputData.email);
  const email = emailInput === undefined ? undefined : emailAddress(emailInput);
  if (emailInput !== undefined && email === undefined) {
    return invalid(
      'email',
      `Email ${quote(emailInput)} is not a valid email address: expected one address, such as jane@example.com. Leave Email empty to create the contact without one.`,
    );
  }
  const tags = tagsOf(inputData.tags);
  const [notText] = tags.notText;
  if (tags.notText.length > 0) {
    return invalid(
      'tags',
      `Tags holds ${quote(notText)}, which is not a tag: each tag must be text, for example \`lead\`. Map the tag's name rather than a whole object.`,
    );
  }
  if (onlyBlanks(inputData.tags) || (tags.lines > 0 && tags.values.length === 0)) {
    return invalid(
      'tags',
      'Tags holds only blank values (spaces, commas or invisible characters). Enter or map at least one tag, or leave Tags empty.',
    );
  }
  const optional = {
    email,
    position: text(inputData.position),
    currentCompany: text(inputData.currentCompany),
  };
  return {
    body: {
      name,
      phoneNumber,
      // Stryker disable next-line MethodExpression,ConditionalExpression: a key whose value is undefined is not sent in JSON, and the result fills it with null
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
      tags: tags.values,
    },
  };
};

/** Create Contact's inputs, as every platform offers them (keys are the API's). */
export const CONTACT_INPUTS = [
  {
    key: 'name',
    label: 'Name',
    type: 'string',
    required: true,
    helpText: "The contact's full name, for example `Jane Smith`.",
  },
  {
    key: 'phoneNumber',
    label: 'Phone Number',
    type: 'string',
    required: true,
    helpText: `The contact's phone number. ${PHONE_HELP} Separators are removed before the number is sent.`,
  },
  {
    key: 'email',
    label: 'Email',
    type: 'string',
    required: false,
    helpText:
      "The contact's email address, for example `jane@example.com`. `Jane Smith <jane@example.com>`, `mailto:jane@example.com` and a trailing `;` or `,` are read as the address alone; anything else that is not one address is refused. Optional.",
  },
  {
    key: 'position',
    label: 'Position',
    type: 'string',
    required: false,
    helpText: "The contact's job title, for example `Head of Operations`. Optional.",
  },
  {
    key: 'currentCompany',
    label: 'Company',
    type: 'string',
    required: false,
    helpText: 'The company the contact works for. Optional.',
  },
  tagsField(
    'Tags for the contact, for example `lead`. Add or map one tag per line, or several separated by commas (`lead, vip` gives two tags). A JSON list such as `["lead","vip"]` gives its tags. Optional.',
  ),
] as const;

/**
 * The contact ISAO created, as the next step gets it: what was sent and accepted, overridden by
 * whatever ISAO says the contact now is, with the declared fields only. An answer without the
 * contact or its id is a message (never a made-up id): the user is told to check in ISAO before
 * running the step again, so no duplicate is created.
 */
export const createdContact = (
  body: RawRecord,
  data: unknown,
): { record: EntityRecord } | { message: string } => {
  const created = unwrapData(data);
  const unanswered = (missing: string) => ({
    message: `ISAO answered the Create Contact request without the new contact's ${missing}. Check in ISAO whether ${quote(body.name)} was created before running this step again.`,
  });
  if (!isRecord(created)) {
    return unanswered('details, so they cannot be passed to the next step');
  }
  const id = idOf(contact, created);
  if (id === undefined) {
    return unanswered(
      'ID (its answer has no id, contactId or contact_id), so the next step could not refer to it',
    );
  }
  return { record: declaredOnly(contact, toEntityRecord(contact, { ...body, ...created }, id)) };
};

/** `POST /contacts` with a checked body (`contactBody`). */
export const createContactCall = (body: RawRecord): IsaoCall => ({
  method: 'POST',
  path: '/contacts',
  body,
  permission: 'contacts:write',
});

/** The contact sample: the record kind's sample as Create Contact returns it. */
export const CONTACT_SAMPLE = toEntityRecord(contact, contact.sample, 'contact_123');
