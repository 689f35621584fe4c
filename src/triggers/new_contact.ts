import { contact, CONTACT_TAGS_FILTER } from '../lib/entities';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'new_contact',
  event: 'contact.created',
  entity: contact,
  noun: 'Contact',
  label: 'New Contact',
  description: 'Triggers when a new contact is added to ISAO.',
  filters: [CONTACT_TAGS_FILTER],
});
