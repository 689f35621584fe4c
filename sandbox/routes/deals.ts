/** Deals, sandbox-only: `POST /sandbox/deals`, `PATCH /sandbox/deals/:id` (a stage, won, lost). */
import type { Route } from '../http';
import type { Store } from '../store';
import { recordRoutes } from './records';

export const dealRoutes = (store: Store): Route[] =>
  recordRoutes('deals', store.deals, store.createDeal, store.updateDeal);
