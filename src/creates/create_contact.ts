/**
 * Create Contact: `POST {base}/contacts`. Input is checked before anything is sent, so a Zap user
 * sees which field is wrong instead of an API error; the created contact comes back in exactly the
 * shape the New Contact trigger gives, so both map alike.
 */
import { defineCreate } from 'zapier-platform-core';
import type { ZObject } from 'zapier-platform-core';
import { callApi, isRecord, unwrapData } from '../lib/api';
import { contact, tagsField, type RawRecord } from '../lib/entities';
import { listOf, text } from '../lib/inputs';
import { toZapRecord, type ZapRecord } from '../lib/records';

/** Separators people put in phone numbers; they are dropped, a leading `+` is kept. */
const PHONE_SEPARATORS = /[\s().\-/\u00a0]/g;
/** 6 to 15 digits (E.164's maximum), optionally after one leading `+`. */
const PHONE = /^\+?\d{6,15}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

const PHONE_HELP =
  'Use digits, optionally starting with + and the country code (for example +33 1 23 45 67 89); spaces, dashes, dots and parentheses are allowed.';

/** The request body, or a HaltedError naming the first field that is wrong. */
export const contactBody = (z: ZObject, inputData: Record<string, unknown>): RawRecord => {
  const name = text(inputData.name);
  if (name === undefined) {
    throw new z.errors.HaltedError(
      "Name is required: the Name field is empty. Enter or map the contact's full name.",
    );
  }
  const phoneInput = text(inputData.phoneNumber);
  if (phoneInput === undefined) {
    throw new z.errors.HaltedError(
      `Phone Number is required: the Phone Number field is empty. ${PHONE_HELP}`,
    );
  }
  const phoneNumber = phoneInput.replace(PHONE_SEPARATORS, '');
  if (!PHONE.test(phoneNumber)) {
    throw new z.errors.HaltedError(
      `Phone Number "${phoneInput}" is not a phone number. ${PHONE_HELP} It must have 6 to 15 digits.`,
    );
  }
  const email = text(inputData.email);
  if (email !== undefined && !EMAIL.test(email)) {
    throw new z.errors.HaltedError(
      `Email "${email}" is not a valid email address: expected something like jane@example.com. Leave Email empty to create the contact without one.`,
    );
  }
  const optional = {
    email,
    position: text(inputData.position),
    currentCompany: text(inputData.currentCompany),
  };
  return {
    name,
    phoneNumber,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    tags: listOf(inputData.tags),
  };
};

/** A created contact as a Zap record, shaped like the New Contact trigger's. */
const asRecord = (created: RawRecord): ZapRecord =>
  toZapRecord('contact', created, {
    type: 'contact.created',
    occurred_at: text(created.createdAt) ?? null,
    source: 'api',
  });

export default defineCreate({
  key: 'create_contact',
  noun: 'Contact',
  display: {
    label: 'Create Contact',
    description: 'Creates a new contact in ISAO.',
  },
  operation: {
    inputFields: [
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
        helpText: "The contact's email address, for example `jane@example.com`. Optional.",
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
        'Tags for the contact, for example `lead`. Add or map one tag per line, or several separated by commas. Optional.',
      ),
    ],
    // bundle.inputData is typed from inputFields above; values are still checked at run time
    perform: async (z, bundle) => {
      const body = contactBody(z, bundle.inputData);
      const { data } = await callApi(z, { method: 'POST', path: '/contacts', body });
      const created = unwrapData(data);
      if (!isRecord(created)) {
        throw new z.errors.Error(
          `ISAO answered the Create Contact request without the new contact's details, so they cannot be passed to the next step. Check in ISAO whether "${String(body.name)}" was created before running this step again.`,
          'invalid_response',
          502,
        );
      }
      // What was sent and accepted, overridden by whatever ISAO says the contact now is.
      return asRecord({ ...body, ...created });
    },
    sample: asRecord(contact.sample),
    outputFields: contact.outputFields,
  },
});
