/** The ISAO app definition: authentication, the request layer, triggers and creates. */
import { defineApp, version as platformVersion } from 'zapier-platform-core';
import authentication from './authentication';
import { addApiHeaders, mapApiErrors } from './lib/api';
import { triggers } from './triggers';
import { creates } from './creates';
import { version } from '../package.json';

export default defineApp({
  version,
  platformVersion,
  authentication,
  beforeRequest: [addApiHeaders],
  afterResponse: [mapApiErrors],
  triggers,
  creates,
});
