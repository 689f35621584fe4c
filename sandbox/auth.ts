/** The sandbox's API keys: `Authorization: Bearer KEY`, each key with its permissions. */
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error';

export type Permission = 'webhooks:read' | 'webhooks:write' | 'contacts:read' | 'contacts:write';
const ALL_PERMISSIONS: Permission[] = [
  'webhooks:read',
  'webhooks:write',
  'contacts:read',
  'contacts:write',
];

export interface ApiKey {
  name: string;
  permissions: readonly Permission[];
}

/**
 * The request's key (the token and what it may do), from two keys for one company: `apiKey` with
 * every permission, `restrictedApiKey` without the webhook ones. 401 for a missing or unknown key.
 */
export const createAuthenticator = (apiKey: string, restrictedApiKey: string) => {
  const keys = new Map<string, ApiKey>([
    [apiKey, { name: 'Sandbox key (all permissions)', permissions: ALL_PERMISSIONS }],
    [
      restrictedApiKey,
      { name: 'Sandbox key (contacts only)', permissions: ['contacts:read', 'contacts:write'] },
    ],
  ]);
  return (req: IncomingMessage): [string, ApiKey] => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const key = match?.[1] ? keys.get(match[1]) : undefined;
    if (!match?.[1] || !key) {
      throw new ApiError(
        401,
        match ? 'Invalid API key' : 'Missing API key: send Authorization: Bearer YOUR_API_KEY',
      );
    }
    return [match[1], key];
  };
};
