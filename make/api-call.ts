/**
 * The universal module Make's review requires, as Make's guidance writes it
 * (developers.make.com/custom-apps-documentation/app-components/modules/universal-module/rest):
 * "Make an API call", a URL relative to the API's base, the method, headers and a query string
 * merged into the base's with the `{{...}}` key (so the connection's Bearer header stays:
 * app-components/base/advanced-inheritance), and the body sent as the text the user wrote
 * (`type: "text"`), with a `Content-Type: application/json` header filled in by default. The URL
 * must start with one `/`, so the key never leaves ISAO's API.
 */
import { DEFAULT_API_URL, DOCS_URL } from '../core/api';
import { CONNECTION_ID, type ModuleDef } from './component';
import { responseFor } from './errors';
import { fn, iml, type MakeParam } from './iml';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Make's key for a collection merged into the object it sits in. */
const SPREAD = '{{...}}';

const keyValues = (name: string, label: string, help: string): MakeParam => ({
  name,
  label,
  type: 'array',
  help,
  spec: [
    { name: 'key', label: 'Key', type: 'text', required: true },
    { name: 'value', label: 'Value', type: 'text' },
  ],
});

/** Key-value pairs merged into the base's (never replacing it). */
const merged = (name: string) => ({
  [SPREAD]: iml(fn('toCollection', `parameters.${name}`, "'key'", "'value'")),
});

export const apiCall = (): ModuleDef => ({
  id: 'makeApiCall',
  label: 'Make an API call',
  description: 'Performs an arbitrary authorized API call.',
  moduleType: 'universal',
  connection: CONNECTION_ID,
  codes: {
    communication: {
      url: iml('parameters.url'),
      method: iml('parameters.method'),
      headers: merged('headers'),
      qs: merged('qs'),
      body: iml('parameters.body'),
      type: 'text',
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
      {
        ...keyValues(
          'headers',
          'Headers',
          "The request's headers. You don't have to add the Authorization header: the connection's API key is added already.",
        ),
        default: [{ key: 'Content-Type', value: 'application/json' }],
      },
      keyValues('qs', 'Query String', "The request's query string parameters."),
      {
        name: 'body',
        label: 'Body',
        type: 'any',
        help: 'The request body, sent as written: for JSON, write the JSON (for example `{"name": "Jane Smith", "phoneNumber": "+33123456789"}`) and keep the `Content-Type: application/json` header. Not sent with GET.',
      },
    ],
    interface: [
      { name: 'body', label: 'Body', type: 'any' },
      { name: 'headers', label: 'Headers', type: 'collection' },
      { name: 'statusCode', label: 'Status Code', type: 'number' },
    ],
  },
});
