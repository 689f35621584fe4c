/** Every create (action), keyed as Zapier expects. Adding one: one file and one line here. */
import create_contact from './create_contact';

export const creates = {
  [create_contact.key]: create_contact,
};
