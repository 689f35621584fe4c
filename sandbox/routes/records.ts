/**
 * The sandbox-only endpoints that stand in for people using the ISAO app:
 * `POST /sandbox/<plural>` and `PATCH /sandbox/<plural>/:id` for one kind of record, each
 * emitting the events the change causes.
 */
import type { Reply, Route } from '../http';
import type { Change, Json } from '../store';

/** 201 with the new record, emitting its events. */
export const created = (changes: Change[]): Reply => ({
  status: 201,
  body: { success: true, data: changes[0]?.record },
  changes,
});

export const recordRoutes = (
  plural: string,
  records: ReadonlyMap<string, Json>,
  create: (body: Json) => Change[],
  update: (id: string, body: Json) => Change[],
): Route[] => [
  {
    method: 'POST',
    pattern: new RegExp(`^/sandbox/${plural}$`),
    handle: ({ body }) => created(create(body)),
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/sandbox/${plural}/([^/]+)$`),
    handle: ({ params, body }) => {
      const id = String(params[0]);
      const changes = update(id, body);
      return { body: { success: true, data: records.get(id) }, changes };
    },
  },
];
