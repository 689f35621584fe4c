/**
 * Deals: `deal.created`, `deal.updated` on any change, `deal.stage_changed` on a new stage, and
 * `deal.won` / `deal.lost` when the status becomes won or lost. A deal may name an existing
 * contact (`contactId`), whose name it then carries.
 */
import { Checker, given } from './checker';
import { changeOf, createTable, type Change, type Json, type StoreContext } from './records';

const DEAL_STATUSES = ['open', 'won', 'lost'] as const;

/** The events a deal's status reaching won or lost adds. */
const closing = (record: Json): Change[] =>
  record.status === 'won' || record.status === 'lost'
    ? [changeOf(`deal.${record.status}`, record)]
    : [];

/** The deals; `contacts` are the ones a deal may name. */
export const createDeals = (context: StoreContext, contacts: ReadonlyMap<string, Json>) => {
  const table = createTable('deal', 'Deal', context);

  const dealFields = (body: Json, partial: boolean): Json => {
    const c = new Checker(body, partial);
    const fields = given({
      title: c.text('title', true, 200),
      value: c.number('value', 0),
      currency: c.text('currency', false, 3),
      stage: c.text('stage', false, 100),
      status: c.oneOf('status', DEAL_STATUSES),
      probability: c.number('probability', 0, 100),
      expectedCloseDate: c.date('expectedCloseDate'),
      contactId: c.text('contactId'),
      ownerName: c.text('ownerName'),
    });
    if (typeof fields.contactId === 'string' && !contacts.has(fields.contactId)) {
      c.errors.push({ field: 'contactId', message: `contact ${fields.contactId} does not exist` });
    }
    c.check();
    if (typeof fields.contactId === 'string') {
      fields.contactName = contacts.get(fields.contactId)?.name;
    }
    return fields;
  };

  const createDeal = (body: Json): Change[] => {
    const fields = dealFields(body, false);
    const record = table.create((id) => ({
      id,
      value: 0,
      currency: 'EUR',
      stage: 'New',
      previousStage: null,
      status: 'open',
      ...fields,
    }));
    return [changeOf('deal.created', record), ...closing(record)];
  };

  /** Any change: deal.updated; a new stage: deal.stage_changed; newly won/lost: deal.won/lost. */
  const updateDeal = (id: string, body: Json): Change[] => {
    const record = table.find(id);
    const fields = dealFields(body, true);
    const changed = table.update(record, fields, (keys) =>
      keys.includes('stage') ? { previousStage: record.stage } : {},
    );
    if (changed.length === 0) return [];
    return [
      changeOf('deal.updated', record),
      ...(changed.includes('stage') ? [changeOf('deal.stage_changed', record)] : []),
      ...(changed.includes('status') ? closing(record) : []),
    ];
  };

  return { deals: table.records, createDeal, updateDeal };
};
