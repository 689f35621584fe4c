import { contact } from '../lib/entities';
import { FILTERS } from '../lib/filters';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'contact_updated',
  event: 'contact.updated',
  entity: contact,
  noun: 'Contact',
  label: 'Updated Contact',
  description: "Triggers when a contact's details change.",
  filters: [FILTERS.tags],
  sample: {
    name: 'Jane Smith-Martin',
    lastName: 'Smith-Martin',
    updatedAt: '2024-11-09T14:05:00.000Z',
  },
});
