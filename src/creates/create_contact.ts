/**
 * Create Contact: `POST {base}/contacts`. Input is checked before anything is sent, so a Zap user
 * sees which field is wrong instead of an API error; the created contact comes back with the same
 * fields the New Contact trigger gives (without a trigger's event metadata), so both map alike.
 */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import { callApi } from '../lib/api';
import { contact } from '../../core/entities';
import {
  CONTACT_INPUTS,
  CONTACT_SAMPLE,
  contactBody,
  createContactCall,
  createdContact,
} from '../../core/contacts';
import type { EntityRecord } from '../../core/records';

/**
 * POST /contacts. inputData is read as `unknown` values on purpose: what the input fields
 * (CONTACT_INPUTS) infer (a string name, a list of tags) is what a user types, but a mapped value arrives as the
 * previous step gave it (a number, one comma string, blanks), so contactBody checks it all.
 */
const perform: CreatePerform<Record<string, unknown>, EntityRecord> = async (z, bundle) => {
  const input = contactBody(bundle.inputData);
  if ('field' in input) throw new z.errors.Error(input.message, `invalid_${input.field}`, 400);
  const { data } = await callApi(z, bundle, createContactCall(input.body));
  const created = createdContact(input.body, data);
  if ('message' in created) throw new z.errors.Error(created.message, 'invalid_response', 502);
  return created.record;
};

const inputFields = defineInputFields([...CONTACT_INPUTS]);

/** The operation, typed (its perform takes the inferred input), for callers that run it. */
export const operation = {
  inputFields,
  perform,
  sample: CONTACT_SAMPLE,
  outputFields: contact.outputFields,
};

export default defineCreate({
  key: 'create_contact',
  noun: 'Contact',
  display: {
    label: 'Create Contact',
    description: 'Creates a new contact.',
  },
  operation,
});
