/**
 * The universal module Make's review requires: any call to the ISAO API with the connection's
 * key. Its URL must be relative (it starts with one `/`), so the key never leaves ISAO's API.
 */
import { DEFAULT_API_URL, DOCS_URL } from '../core/api';
import { CONNECTION_ID, type ModuleDef } from './component';
import { responseFor } from './errors';
import { fn, iml, type MakeParam } from './iml';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const keyValues = (name: string, label: string): MakeParam => ({
  name,
  label,
  type: 'array',
  spec: [
    { name: 'key', label: 'Key', type: 'text', required: true },
    { name: 'value', label: 'Value', type: 'text' },
  ],
});

export const apiCall = (): ModuleDef => ({
  id: 'makeApiCall',
  label: 'Make an API Call',
  description: 'Performs an arbitrary authorized call to the ISAO API.',
  moduleType: 'universal',
  connection: CONNECTION_ID,
  codes: {
    communication: {
      url: iml('parameters.url'),
      method: iml('parameters.method'),
      headers: iml(fn('toCollection', 'parameters.headers', "'key'", "'value'")),
      qs: iml(fn('toCollection', 'parameters.qs', "'key'", "'value'")),
      body: iml('parameters.body'),
      type: 'json',
      response: responseFor(
        {},
        { output: { body: iml('body'), headers: iml('headers'), statusCode: iml('statusCode') } },
      ),
    },
    staticParams: [],
    mappableParams: [
      {
        name: 'url',
        label: 'URL',
        type: 'text',
        required: true,
        help: `A path relative to ${DEFAULT_API_URL}, for example \`/webhooks\`. See [the ISAO API documentation](${DOCS_URL}).`,
        validate: { pattern: '^/(?:[^/].*)?$' },
      },
      {
        name: 'method',
        label: 'Method',
        type: 'select',
        required: true,
        default: 'GET',
        options: METHODS.map((method) => ({ label: method, value: method })),
      },
      keyValues('headers', 'Headers'),
      keyValues('qs', 'Query String'),
      { name: 'body', label: 'Body', type: 'any' },
    ],
    interface: [
      { name: 'body', label: 'Body', type: 'any' },
      { name: 'headers', label: 'Headers', type: 'collection' },
      { name: 'statusCode', label: 'Status Code', type: 'number' },
    ],
  },
});
