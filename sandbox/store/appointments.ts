/**
 * Appointments (ISAO's appointment object, with custom `fields`): `appointment.created`,
 * `appointment.updated` on any change, and `appointment.deleted` when one is canceled or deleted.
 */
import { APPOINTMENT_STATUSES, CANCELED_STATUS } from '../../core/events';
import { isRecord } from '../../core/inputs';
import { Checker, given } from './checker';
import { changeOf, createTable, type Change, type Json, type StoreContext } from './records';

const appointmentFields = (body: Json, partial: boolean, current?: Json): Json => {
  const c = new Checker(body, partial);
  const fields = given({
    startDateTime: c.dateTime('startDateTime', true),
    endDateTime: c.dateTime('endDateTime'),
    timeZone: c.text('timeZone', false, 64),
    status: c.oneOf('status', APPOINTMENT_STATUSES),
    reason: c.object('reason'),
    client: c.object('client', true),
    staff: c.object('staff'),
    location: c.object('location'),
    fields: c.customFields('fields'),
  });
  const client = fields.client;
  if (isRecord(client) && !['firstName', 'lastName', 'emailAddress'].some((k) => client[k])) {
    c.errors.push({
      field: 'client',
      message: 'client needs a firstName, lastName or emailAddress',
    });
  }
  const start = fields.startDateTime ?? current?.startDateTime;
  const end = fields.endDateTime ?? current?.endDateTime;
  if (
    typeof end === 'string' &&
    typeof start === 'string' &&
    Date.parse(end) <= Date.parse(start)
  ) {
    c.errors.push({ field: 'endDateTime', message: 'endDateTime must be after startDateTime' });
  }
  c.check();
  return fields;
};

/** The appointments; a new one ends after its reason's `visitMinutes` (30 by default). */
export const createAppointments = (context: StoreContext) => {
  const table = createTable('appt', 'Appointment', context);

  const createAppointment = (body: Json): Change[] => {
    const fields = appointmentFields(body, false);
    const reason = isRecord(fields.reason) ? fields.reason : {};
    const minutes = typeof reason.visitMinutes === 'number' ? reason.visitMinutes : 30;
    const start = String(fields.startDateTime);
    const record = table.create((id, n) => ({
      id,
      calendarid: n,
      status: 'confirmed',
      endDateTime: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
      timeZone: 'UTC',
      fields: [],
      ...fields,
    }));
    return [changeOf('appointment.created', record)];
  };

  /** Any change: appointment.updated; newly canceled: also appointment.deleted. */
  const updateAppointment = (id: string, body: Json): Change[] => {
    const record = table.find(id);
    const changed = table.update(record, appointmentFields(body, true, record));
    if (changed.length === 0) return [];
    const canceled = changed.includes('status') && record.status === CANCELED_STATUS;
    return [
      changeOf('appointment.updated', record),
      ...(canceled ? [changeOf('appointment.deleted', record)] : []),
    ];
  };

  const deleteAppointment = (id: string): Change[] => {
    const record = table.find(id);
    table.records.delete(id);
    const at = context.now().toISOString();
    // the trigger's sample and the status list agree: a deleted appointment is canceled
    const deleted = { ...record, status: CANCELED_STATUS, deletedAt: at, updatedAt: at };
    return [changeOf('appointment.deleted', deleted)];
  };

  return { appointments: table.records, createAppointment, updateAppointment, deleteAppointment };
};
