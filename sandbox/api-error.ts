/** How the sandbox answers what it refuses, as ISAO does: `{success:false, message, errors?}`. */

/** One field the API rejected, as ISAO reports it: `{field, message}`. */
export interface FieldError {
  field: string;
  message: string;
}

/** An error answered as `{success:false, message, errors?}` with this status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
