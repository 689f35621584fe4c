import { contact } from '../lib/entities';
import { FILTERS } from '../lib/filters';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'new_contact',
  event: 'contact.created',
  entity: contact,
  noun: 'Contact',
  label: 'New Contact',
  description: 'Triggers when a new contact is added.',
  filters: [FILTERS.tags],
});
