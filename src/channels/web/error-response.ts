// Translation of errors into HTTP responses — the only place web code maps ShishinError codes to
// statuses. Users see a short message (and field errors); operators find the stack in the log.
import { httpStatusByCode, isShishinError, ShishinError, type FieldError } from '../../errors.js';

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[] };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Whether this is the service's fault (log with stack at error level). */
  unexpected: boolean;
}

/** Errors raised by express's body parsers carry a `type` and a `status`. */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
  limit?: unknown;
}

function fromBodyParser(error: unknown, bodyLimitBytes: number): ShishinError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const type = (error as BodyParserError).type;
  if (type === 'entity.too.large') {
    return new ShishinError(
      'payload_too_large',
      `The request body is larger than the ${Math.round(bodyLimitBytes / 1024)} kB limit.`,
      { cause: error },
    );
  }
  if (type === 'entity.parse.failed') {
    return new ShishinError('input_invalid', 'The request body is not valid JSON.', { cause: error });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ShishinError('input_invalid', 'The request body uses an unsupported encoding; send UTF-8.', { cause: error });
  }
  if (type === 'request.aborted') {
    return new ShishinError('input_invalid', 'The request body was not received completely.', { cause: error });
  }
  const status = (error as BodyParserError).status;
  // The router decodes path parameters and marks a malformed escape such as `/api/intakes/%` as 400.
  if (error instanceof URIError && status === 400) {
    return new ShishinError('input_invalid', 'The request path is not validly encoded.', { cause: error });
  }
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    return new ShishinError('input_invalid', 'The request body could not be read.', { cause: error });
  }
  return undefined;
}

export function toErrorResponse(error: unknown, options: { requestId: string; bodyLimitBytes: number }): ErrorResponse {
  const known = isShishinError(error) ? error : fromBodyParser(error, options.bodyLimitBytes);
  if (known !== undefined) {
    const status = httpStatusByCode[known.code];
    const body: ErrorBody = { error: { code: known.code, message: known.message } };
    if (known.fields !== undefined && known.fields.length > 0) body.error.fields = known.fields;
    if (known.code === 'provider_failed' || known.code === 'unavailable' || known.code === 'config_invalid') {
      body.error.message = `${known.message} (request id ${options.requestId})`;
    }
    return { status, body, unexpected: status >= 500 };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'internal',
        message: `Something went wrong on our side. Please try again; if it persists, give the operators request id ${options.requestId}.`,
      },
    },
    unexpected: true,
  };
}
