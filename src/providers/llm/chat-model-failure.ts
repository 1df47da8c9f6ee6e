// Why a chat-model call failed, in a small fixed vocabulary used as a metrics label. The provider
// throws ShishinError('provider_failed') whose `cause` is a ChatModelFailure carrying the reason.

export type ChatFailureReason =
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'connection'
  | 'invalid_output'
  | 'auth'
  | 'rejected'
  | 'aborted'
  | 'unknown';

/** The cause attached to a provider_failed error from a chat model. */
export class ChatModelFailure extends Error {
  readonly reason: ChatFailureReason;

  constructor(reason: ChatFailureReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatModelFailure';
    this.reason = reason;
  }
}

const knownReasons = new Set<string>(['timeout', 'rate_limited', 'server_error', 'connection', 'invalid_output', 'auth', 'rejected', 'aborted']);

/**
 * The failure reason of any error thrown by a chat model: read from the error's cause (`reason`
 * field), else `unknown`. Works without importing provider classes (duck-typed).
 */
export function chatFailureReason(error: unknown): ChatFailureReason {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const reason = (current as { reason?: unknown }).reason;
    if (typeof reason === 'string' && knownReasons.has(reason)) return reason as ChatFailureReason;
    current = (current as { cause?: unknown }).cause;
  }
  return 'unknown';
}
