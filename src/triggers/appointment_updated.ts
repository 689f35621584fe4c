import { appointment } from '../lib/entities';
import { FILTERS } from '../lib/filters';
import { hookTrigger } from '../lib/hooks';

export default hookTrigger({
  key: 'appointment_updated',
  event: 'appointment.updated',
  entity: appointment,
  noun: 'Appointment',
  label: 'Updated Appointment',
  description: 'Triggers when an appointment is changed or rescheduled.',
  filters: [FILTERS.staff, FILTERS.location],
  sample: {
    startDateTime: '2024-11-13T09:00:00.000Z',
    endDateTime: '2024-11-13T09:45:00.000Z',
    updatedAt: '2024-11-09T16:20:00.000Z',
  },
});
