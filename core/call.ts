/**
 * One call to ISAO under the rules every request layer keeps, whatever transport sends it (n8n's
 * request helper, fetch): a base URL or API key the core refuses is refused before anything is
 * sent, the answer is read in full at any status, a redirect is never followed (its Location
 * could be another host, where the transport would carry the Bearer header) but refused, and
 * every failure is worded as a user can act on (errors.ts). The transport adds the key.
 */
import { apiUrlProblem, keyProblem, type IsaoCall, type UrlSetting } from './api';
import {
  failureFor,
  MAX_DETAIL,
  networkFailure,
  parseBody,
  type Answer,
  type Failure,
} from './errors';
import { isRecord, reasonOf } from './inputs';

/** Where a call goes, with what, and how its settings are named in messages. */
export interface CallTarget {
  apiKey: string | undefined;
  baseUrl: string;
  /** What no message may show, besides the key (a signing secret, a subscription's secret). */
  secrets: readonly unknown[];
  /** The base URL's setting: its name and how to change it. */
  setting: UrlSetting;
  /** What to check when ISAO answers with a redirect. */
  redirectFix: string;
}

/** A request as the transport sends it: it adds nothing but the key. */
export interface SentRequest {
  method: IsaoCall['method'];
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What one call to ISAO came to: its answer, or why not, in the core's words. */
export type Outcome =
  | { status: number; data: unknown }
  /** Refused before sending, never sent, or unreadable: the caller's own error. */
  | { problem: string }
  /** ISAO's answer is a failure: an API error with its status. */
  | { failure: Failure };

/**
 * One call under the rules above. `send` resolves with the answer's status and text (undefined
 * when the transport gave an answer without a status), or rejects when nothing came back.
 */
export const callIsao = async (
  target: CallTarget,
  request: IsaoCall,
  send: (sent: SentRequest) => Promise<Answer | undefined>,
): Promise<Outcome> => {
  // Stryker disable next-line ArrayDeclaration: one more text to redact, which no message holds
  const secrets = [target.apiKey, ...target.secrets];
  const urlProblem = apiUrlProblem(target.baseUrl, target.setting, secrets);
  if (urlProblem) return { problem: urlProblem };
  const badKey = target.apiKey && keyProblem(target.apiKey);
  if (badKey) return { problem: badKey };
  const base = target.baseUrl.replace(/\/+$/, '');
  // apiUrlProblem has checked it is a URL
  const host = new URL(base).host;
  let answer: Answer | undefined;
  try {
    answer = await send({
      method: request.method,
      url: `${base}${request.path}`,
      headers: {
        Accept: 'application/json',
        ...(request.body ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
    });
  } catch (error) {
    // fetch and n8n's own wrapping keep the system error (ECONNREFUSED…) as the cause
    const network =
      networkFailure(error, host) ??
      networkFailure(isRecord(error) ? error.cause : undefined, host);
    return {
      problem:
        network ??
        `Could not call the ISAO API at ${host}: ${reasonOf(error, secrets, MAX_DETAIL)}`,
    };
  }
  if (answer === undefined) {
    return {
      problem: `The ISAO API at ${host} gave an answer without a status, so it could not be read.`,
    };
  }
  const { status, content } = answer;
  if (status >= 300 && status < 400) {
    return {
      failure: {
        kind: 'error',
        code: 'unsafe_redirect',
        status,
        message: `The ISAO API at ${host} answered ${String(status)} (a redirect); the API key is only ever sent to the ${target.setting.name}, so the redirect was not followed. ${target.redirectFix}`,
      },
    };
  }
  const where = { method: request.method, path: new URL(`${base}${request.path}`).pathname, host };
  const failure = failureFor({ status, content }, request, where, secrets);
  return failure ? { failure } : { status, data: parseBody(content).value };
};
