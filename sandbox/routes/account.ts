/** `GET /test`: the connection test, answering with the key's company. */
import type { Route } from '../http';

export const accountRoutes = (company: { id: string; name: string }): Route[] => [
  {
    method: 'GET',
    pattern: /^\/test$/,
    handle: () => ({ body: { success: true, data: { company } } }),
  },
];
