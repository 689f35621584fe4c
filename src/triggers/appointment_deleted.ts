import { appointment } from '../lib/entities';
import { FILTERS } from '../lib/filters';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'appointment_deleted',
  event: 'appointment.deleted',
  entity: appointment,
  noun: 'Appointment',
  label: 'Canceled or Deleted Appointment',
  description: 'Triggers when an appointment is canceled or deleted.',
  filters: [FILTERS.staff, FILTERS.location],
  sample: { status: 'canceled', updatedAt: '2024-11-10T08:15:00.000Z' },
});
