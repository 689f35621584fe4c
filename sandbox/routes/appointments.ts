/**
 * Appointments, sandbox-only: `POST /sandbox/appointments`, `PATCH` and `DELETE
 * /sandbox/appointments/:id` (a deleted one emits `appointment.deleted`, as a canceled one does).
 */
import type { Route } from '../http';
import type { Store } from '../store';
import { recordRoutes } from './records';

export const appointmentRoutes = (store: Store): Route[] => [
  ...recordRoutes(
    'appointments',
    store.appointments,
    store.createAppointment,
    store.updateAppointment,
  ),
  {
    method: 'DELETE',
    pattern: /^\/sandbox\/appointments\/([^/]+)$/,
    handle: ({ params }) => {
      const changes = store.deleteAppointment(String(params[0]));
      return { body: { success: true, data: changes[0]?.record }, changes };
    },
  },
];
