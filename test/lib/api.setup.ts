/** What the request layer's tests (test/lib/api.*.test.ts) share: callApi through the real runtime. */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { appTester, authData } from '../helpers';
import { callApi, type ApiRequestOptions } from '../../src/lib/api';
import type { Permission } from '../../core/errors';

export type CallOptions = Omit<ApiRequestOptions, 'permission'> & { permission?: Permission };

/** callApi through the real runtime; `permission` defaults to one the test does not look at. */
export const callWith = (auth: Record<string, string>, options: CallOptions) =>
  appTester(
    (z: ZObject, bundle: Bundle) => callApi(z, bundle, { permission: 'webhooks:read', ...options }),
    { authData: auth },
  );
export const call = (options: CallOptions) => callWith(authData, options);
