/** Contacts: `contact.created` and, when a field's value changes, `contact.updated`. */
import { Checker } from './checker';
import { changeOf, createTable, type Change, type Json, type StoreContext } from './records';

const splitName = (name: string): { firstName: string; lastName: string } => {
  const [first = '', ...rest] = name.split(/\s+/);
  return { firstName: first, lastName: rest.join(' ') };
};

const contactFields = (body: Json, partial: boolean): Json => {
  const c = new Checker(body, partial);
  return c.valid({
    name: c.text('name', true, 200),
    phoneNumber: c.phone('phoneNumber', true),
    email: c.email('email'),
    position: c.text('position'),
    currentCompany: c.text('currentCompany'),
    industrySector: c.text('industrySector'),
    city: c.text('city'),
    country: c.text('country'),
    tags: c.tags('tags'),
  });
};

/** The contacts; a new one's name is also split into firstName and lastName. */
export const createContacts = (context: StoreContext) => {
  const table = createTable('contact', 'Contact', context);

  const createContact = (body: Json): Change[] => {
    const fields = contactFields(body, false);
    const name = String(fields.name);
    const record = table.create((id) => ({
      id,
      name,
      ...splitName(name),
      ...fields,
      tags: fields.tags ?? [],
    }));
    return [changeOf('contact.created', record)];
  };

  const updateContact = (id: string, body: Json): Change[] => {
    const record = table.find(id);
    const fields = contactFields(body, true);
    if (typeof fields.name === 'string') Object.assign(fields, splitName(fields.name));
    if (table.update(record, fields).length === 0) return [];
    return [changeOf('contact.updated', record)];
  };

  return { contacts: table.records, createContact, updateContact };
};
