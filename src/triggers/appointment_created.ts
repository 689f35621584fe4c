import { appointment } from '../lib/entities';
import { FILTERS } from '../lib/filters';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'appointment_created',
  event: 'appointment.created',
  entity: appointment,
  noun: 'Appointment',
  label: 'New Appointment',
  description: 'Triggers when an appointment is booked.',
  filters: [FILTERS.staff, FILTERS.location],
});
