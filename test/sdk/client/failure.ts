/** What the client's tests share: the IsaoApiError a call rejects with. */
import { IsaoApiError } from '../../../sdk/src/client';

/** The error a call rejects with (the test fails when it resolves). */
export const failure = async (call: Promise<unknown>): Promise<IsaoApiError> => {
  const error: unknown = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof IsaoApiError))
    throw new Error(`expected an IsaoApiError, got ${String(error)}`);
  return error;
};
