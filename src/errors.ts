// The project's coded errors. Core code throws ShishinError; the edges (HTTP, Slack, Teams, CLI)
// translate the code into a status or a one-line message. The cause keeps the details for the log.

export type ShishinErrorCode =
  | 'config_invalid'
  | 'input_invalid'
  | 'not_authorised'
  | 'not_authenticated'
  | 'provider_failed'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'idempotency_key_reused'
  | 'unavailable';

/** One field's problem, worded so a form can show it next to the field. */
export interface FieldError {
  /** Dotted path of the field, e.g. `title` or `domains`. */
  field: string;
  message: string;
}

export class ShishinError extends Error {
  readonly code: ShishinErrorCode;
  readonly fields: FieldError[] | undefined;

  constructor(code: ShishinErrorCode, message: string, options: { cause?: unknown; fields?: FieldError[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShishinError';
    this.code = code;
    this.fields = options.fields;
  }
}

export function isShishinError(value: unknown, code?: ShishinErrorCode): value is ShishinError {
  return value instanceof ShishinError && (code === undefined || value.code === code);
}

/** HTTP status for each code, used by the web edge only. */
export const httpStatusByCode: Record<ShishinErrorCode, number> = {
  config_invalid: 500,
  input_invalid: 400,
  not_authenticated: 401,
  not_authorised: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  provider_failed: 502,
  unavailable: 503,
};
