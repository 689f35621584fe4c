/**
 * Contacts: the documented `POST /contacts` (the Create Contact action's call; its events have
 * `metadata.source` `api`), and the sandbox's `POST` and `PATCH /sandbox/contacts`.
 */
import type { Route } from '../http';
import type { Store } from '../store';
import { created, recordRoutes } from './records';

export const contactRoutes = (store: Store): Route[] => [
  {
    method: 'POST',
    pattern: /^\/contacts$/,
    permission: 'contacts:write',
    source: 'api',
    handle: ({ body }) => created(store.createContact(body)),
  },
  ...recordRoutes('contacts', store.contacts, store.createContact, store.updateContact),
];
