/**
 * Every trigger, keyed as Zapier expects (each module's file name is its key, which the MODULE
 * check enforces). Adding a trigger: a row in core/events.ts, one file and one line here.
 */
import appointment_created from './appointment_created';
import appointment_deleted from './appointment_deleted';
import appointment_updated from './appointment_updated';
import contact_updated from './contact_updated';
import deal_lost from './deal_lost';
import deal_stage_changed from './deal_stage_changed';
import deal_updated from './deal_updated';
import deal_won from './deal_won';
import new_contact from './new_contact';
import new_deal from './new_deal';

export const triggers = {
  new_contact,
  contact_updated,
  new_deal,
  deal_updated,
  deal_stage_changed,
  deal_won,
  deal_lost,
  appointment_created,
  appointment_updated,
  appointment_deleted,
};
