/** The event table's lookups (events.ts). */
import { eventNamed, isIsaoEvent } from '../../core/events';

describe('event names', () => {
  it('knows an event only by its name as text', () => {
    expect(isIsaoEvent('contact.created')).toBe(true);
    // each of these reads as "contact.created" when turned into a property name
    for (const value of [['contact.created'], { toString: () => 'contact.created' }]) {
      expect(isIsaoEvent(value)).toBe(false);
    }
    expect(isIsaoEvent('toString')).toBe(false);
  });

  it('maps a topic alias to its event', () => {
    expect(eventNamed('appointment_destroy')).toBe('appointment.deleted');
    expect(eventNamed('appointment.deleted')).toBe('appointment.deleted');
    expect(eventNamed('appointment.moved')).toBeUndefined();
  });
});
