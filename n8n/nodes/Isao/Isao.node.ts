/**
 * ISAO: Contact → Create. The same checks, errors naming the field, and output as the Zapier
 * app's Create Contact (the core's contacts.ts), one contact per input item; usable as an AI
 * tool. With "Continue On Fail", an item that fails gives its error and the others go on.
 */
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
  INodeExecutionData,
  INodeProperties,
  INodeType,
  INodeTypeDescription,
} from 'n8n-workflow';
import {
  CONTACT_INPUTS,
  contactBody,
  createContactCall,
  createdContact,
} from '../../../core/contacts';
import type { ExecuteContext } from '../../shared/contexts';
import { operationError } from '../../shared/errors';
import { asDataObject } from '../../shared/json';
import { credentialTest, isaoRequest } from '../../shared/request';

/** Create Contact's fields, as the core declares them. */
const contactProperties = (): INodeProperties[] =>
  CONTACT_INPUTS.map((input) => ({
    displayName: input.label,
    name: input.key,
    type: 'string',
    required: input.required,
    default: '',
    description: input.helpText,
    displayOptions: { show: { resource: ['contact'], operation: ['create'] } },
  }));

/** The item's parameters, read as `unknown`: a mapped value arrives as the previous node gave it. */
const inputsOf = (context: ExecuteContext, itemIndex: number): Record<string, unknown> =>
  Object.fromEntries(
    CONTACT_INPUTS.map(({ key }): [string, unknown] => [
      key,
      context.getNodeParameter(key, itemIndex, ''),
    ]),
  );

/** One contact: checked, sent (POST /contacts) and read back as Create Contact's record. */
const createContact = async (
  context: ExecuteContext,
  itemIndex: number,
): Promise<INodeExecutionData> => {
  const checked = contactBody(inputsOf(context, itemIndex));
  if ('field' in checked) {
    throw operationError(context.getNode(), checked.message);
  }
  const { data } = await isaoRequest(context, createContactCall(checked.body));
  const created = createdContact(checked.body, data);
  if ('message' in created) {
    throw operationError(context.getNode(), created.message);
  }
  return { json: asDataObject(created.record), pairedItem: { item: itemIndex } };
};

export class Isao implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'ISAO',
    name: 'isao',
    icon: { light: 'file:../../icons/isao.svg', dark: 'file:../../icons/isao.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Create contacts in the ISAO CRM',
    defaults: { name: 'ISAO' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    // literals, as n8n's lint reads them: a test holds them equal to CREDENTIAL and CREDENTIAL_TEST
    credentials: [{ name: 'isaoApi', required: true, testedBy: 'isaoApiTest' }],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        default: 'contact',
        options: [{ name: 'Contact', value: 'contact' }],
      },
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        default: 'create',
        displayOptions: { show: { resource: ['contact'] } },
        options: [
          {
            name: 'Create',
            value: 'create',
            action: 'Create a contact',
            description: 'Create a new contact',
          },
        ],
      },
      ...contactProperties(),
    ],
  };

  /** The credential's Test (n8n runs it on Test and on every save): shared/request.ts. */
  methods = { credentialTest };

  async execute(this: ExecuteContext): Promise<INodeExecutionData[][]> {
    const results: INodeExecutionData[] = [];
    for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex += 1) {
      try {
        results.push(await createContact(this, itemIndex));
      } catch (error) {
        if (!this.continueOnFail()) throw withItem(error, itemIndex);
        results.push({
          json: { error: error instanceof Error ? error.message : String(error) },
          pairedItem: { item: itemIndex },
        });
      }
    }
    return [results];
  }
}

/** An error of one item, marked with the item it failed on (n8n shows it with the error). */
const withItem = (error: unknown, itemIndex: number): unknown => {
  if (error instanceof NodeOperationError || error instanceof NodeApiError) {
    error.context.itemIndex = itemIndex;
  }
  return error;
};
