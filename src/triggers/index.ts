/** Every trigger, keyed as Zapier expects. Adding a trigger: one file and one line here. */
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
  [new_contact.key]: new_contact,
  [contact_updated.key]: contact_updated,
  [new_deal.key]: new_deal,
  [deal_updated.key]: deal_updated,
  [deal_stage_changed.key]: deal_stage_changed,
  [deal_won.key]: deal_won,
  [deal_lost.key]: deal_lost,
  [appointment_created.key]: appointment_created,
  [appointment_updated.key]: appointment_updated,
  [appointment_deleted.key]: appointment_deleted,
};
