/**
 * The package's errors as n8n's: NodeApiError for an ISAO answer (with its status), and
 * NodeOperationError for everything else (input, configuration, an unreachable API). n8n's
 * constructors replace any message that mentions a system error code (`ECONNREFUSED`,
 * `ETIMEDOUT`…, even inside a quoted user value) with a generic sentence ("The service refused
 * the connection - perhaps it is offline"); the package's messages already say what happened,
 * naming the host or the field, so the worded message is put back.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';
import type { Failure } from '../../core/errors';

/** An error of the node's own making: `message` as the user reads it. */
export const operationError = (node: INode, message: string): NodeOperationError => {
  const error = new NodeOperationError(node, message);
  error.message = message;
  return error;
};

/** A failed call to ISAO, worded by the core: the status and code go with it. */
export const apiError = (node: INode, failure: Failure): NodeApiError => {
  const error = new NodeApiError(
    node,
    { code: failure.code, kind: failure.kind },
    { httpCode: String(failure.status) },
  );
  error.message = failure.message;
  return error;
};
