/** The ISAO app definition: authentication, the request layer, triggers and creates. */
import { defineApp, version as platformVersion } from 'zapier-platform-core';
import authentication from './authentication';
import { addApiHeaders } from './lib/api';
import { triggers } from './triggers';
import { creates } from './creates';
import { version } from '../package.json';

export default defineApp({
  version,
  platformVersion,
  authentication,
  // Every request the app makes goes through z.request, which core logs itself. Core's http patch
  // would only add a log upload for core's own z.cache RPC call on each deduplicated event (see
  // bench/RESULTS.md), so it is left off.
  flags: { skipHttpPatch: true },
  beforeRequest: [addApiHeaders],
  triggers,
  creates,
});
