// Translation of errors into HTTP responses — the only place web code maps ShishinError codes to
// statuses. Users see a short message (and field errors); operators find the stack in the log.
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
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

/** Errors raised by express's body parsers (http-errors) carry a `type`, a `status` and `expose`. */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  code?: unknown;
}

/** Maps every client error a body parser or the router raises to a clear 400, 413 or 415. */
function fromBodyParser(error: unknown, bodyLimitBytes: number, locale: Locale): ShishinError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, code } = error as BodyParserError;
  if (type === 'entity.too.large') {
    return new ShishinError('payload_too_large', t(locale, 'api.bodyTooLarge', { limit: Math.round(bodyLimitBytes / 1024) }), { cause: error });
  }
  if (type === 'parameters.too.many') {
    return new ShishinError('payload_too_large', t(locale, 'api.tooManyFields'), { cause: error });
  }
  if (type === 'entity.parse.failed') {
    return new ShishinError('input_invalid', t(locale, 'api.invalidJson'), { cause: error });
  }
  if (type === 'encoding.unsupported') {
    return new ShishinError('unsupported_media_type', t(locale, 'api.unsupportedEncoding'), { cause: error });
  }
  if (type === 'charset.unsupported') {
    return new ShishinError('unsupported_media_type', t(locale, 'api.unsupportedCharset'), { cause: error });
  }
  if (type === 'request.aborted') {
    return new ShishinError('input_invalid', t(locale, 'api.bodyAborted'), { cause: error });
  }
  // The router decodes path parameters and marks a malformed escape such as `/api/intakes/%` as 400.
  if (error instanceof URIError && status === 400) {
    return new ShishinError('input_invalid', t(locale, 'api.badPath'), { cause: error });
  }
  // zlib and brotli errors from a body whose Content-Encoding does not match its bytes.
  if (typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__ERROR') || code.startsWith('ERR_BROTLI'))) {
    return new ShishinError('input_invalid', t(locale, 'api.notDecompressible'), { cause: error });
  }
  // Any other client error a parser marked as safe to report (http-errors' `expose`).
  if (typeof status === 'number' && status >= 400 && status < 500 && ((error as BodyParserError).expose === true || typeof type === 'string')) {
    if (status === 413) return new ShishinError('payload_too_large', t(locale, 'api.bodyTooLargeGeneric'), { cause: error });
    if (status === 415) return new ShishinError('unsupported_media_type', t(locale, 'api.unsupportedType'), { cause: error });
    return new ShishinError('input_invalid', t(locale, 'api.unreadable'), { cause: error });
  }
  return undefined;
}

/** `locale`: the language of the messages this module words (default `en`); ShishinErrors keep their own. */
export function toErrorResponse(error: unknown, options: { requestId: string; bodyLimitBytes: number; locale?: Locale }): ErrorResponse {
  const locale = options.locale ?? 'en';
  const known = isShishinError(error) ? error : fromBodyParser(error, options.bodyLimitBytes, locale);
  if (known !== undefined) {
    const status = httpStatusByCode[known.code];
    const body: ErrorBody = { error: { code: known.code, message: known.message } };
    if (known.fields !== undefined && known.fields.length > 0) body.error.fields = known.fields;
    if (known.code === 'provider_failed' || known.code === 'unavailable' || known.code === 'config_invalid') {
      body.error.message = t(locale, 'api.withRequestId', { message: known.message, requestId: options.requestId });
    }
    return { status, body, unexpected: status >= 500 };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'internal',
        message: t(locale, 'api.internal', { requestId: options.requestId }),
      },
    },
    unexpected: true,
  };
}
