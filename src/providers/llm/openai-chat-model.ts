// ChatModel provider for any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1
// endpoint, or a local server such as vLLM, llama.cpp or Ollama) using the official `openai` SDK.
// The whole call, retries included, is bounded by one time budget; the SDK's own retries are off so
// that a long retry-after can never push a call past that budget.
import OpenAI from 'openai';
import type { Logger } from '../../logger.js';
import { ShishinError } from '../../errors.js';
import type { ChatMessage, ChatModel, ChatOptions } from '../../ports/chat-model.js';
import { ChatModelFailure, type ChatFailureReason } from './chat-model-failure.js';

export interface OpenAIChatModelOptions {
  /** Model or deployment name, e.g. `gpt-4o-mini`. */
  model: string;
  /** API key; local servers often need none (a placeholder is sent). */
  apiKey?: string;
  /** Endpoint base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`. */
  baseURL?: string;
  /** Total budget per call including retries (ms). Default 20 000. */
  timeoutMs?: number;
  /** Retries after a retryable failure (429, 5xx, connection), within the budget. Default 2. */
  maxRetries?: number;
  /** Delay before the first retry when the server gives no retry-after (ms, doubles). Default 250. */
  retryBaseDelayMs?: number;
  logger: Logger;
}

/** Placeholder key for servers that need none; the SDK refuses to start without a key. */
const placeholderApiKey = 'not-needed';

/** Shortest attempt worth starting: a retry whose wait leaves less than this is not made. */
const minimumAttemptMs = 200;

function isAzureHost(baseURL: string | undefined): boolean {
  if (baseURL === undefined) return false;
  try {
    const host = new URL(baseURL).hostname;
    return host.endsWith('.openai.azure.com') || host.endsWith('.services.ai.azure.com') || host.endsWith('.cognitiveservices.azure.com');
  } catch {
    return false;
  }
}

/** Wait asked for by the server (retry-after-ms or retry-after, seconds or HTTP date), in ms. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && Number.isFinite(Number.parseFloat(milliseconds))) return Math.max(0, Number.parseFloat(milliseconds));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function classify(error: unknown): { reason: ChatFailureReason; retryable: boolean; headers?: Headers } {
  if (error instanceof ChatModelFailure) return { reason: error.reason, retryable: false };
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { reason: 'timeout', retryable: false };
  if (error instanceof OpenAI.APIUserAbortError) return { reason: 'aborted', retryable: false };
  if (error instanceof OpenAI.APIConnectionError) return { reason: 'connection', retryable: true };
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    const headers = error.headers instanceof Headers ? error.headers : undefined;
    if (status === 429) return { reason: 'rate_limited', retryable: true, ...(headers ? { headers } : {}) };
    if (status === 401 || status === 403) return { reason: 'auth', retryable: false };
    if (status === 408 || status >= 500) return { reason: 'server_error', retryable: true, ...(headers ? { headers } : {}) };
    return { reason: 'rejected', retryable: false };
  }
  // The SDK surfaces an unparseable body as a SyntaxError from JSON.parse.
  if (error instanceof SyntaxError) return { reason: 'invalid_output', retryable: false };
  return { reason: 'unknown', retryable: false };
}

/** Sleeps unless the signal fires first. */
function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class OpenAIChatModel implements ChatModel {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly logger: Logger;

  constructor(options: OpenAIChatModelOptions) {
    this.model = options.model;
    this.id = `openai:${options.model}`;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
    this.logger = options.logger.child({ component: 'openai-chat-model', model: options.model });
    const apiKey = options.apiKey ?? placeholderApiKey;
    this.client = new OpenAI({
      apiKey,
      ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
      // Azure OpenAI accepts its key in `api-key`; sending both headers is harmless elsewhere.
      ...(isAzureHost(options.baseURL) && options.apiKey !== undefined ? { defaultHeaders: { 'api-key': options.apiKey } } : {}),
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
  }

  async complete(messages: ChatMessage[], options: ChatOptions = {}): Promise<string> {
    const budgetMs = Math.min(options.timeoutMs ?? this.timeoutMs, this.timeoutMs);
    const started = Date.now();
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(() => deadline.abort(), budgetMs);
    const signal = options.signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, options.signal]);
    const fail = (reason: ChatFailureReason, cause: unknown, attempts: number): never => {
      const elapsedMs = Date.now() - started;
      this.logger.warn({ reason, attempts, elapsedMs, err: cause }, 'chat completion failed');
      throw new ShishinError('provider_failed', `The language model call failed (reason: ${reason})`, {
        cause: new ChatModelFailure(reason, `chat completion failed: ${reason}`, { cause }),
      });
    };
    try {
      for (let attempt = 0; ; attempt += 1) {
        const remainingMs = budgetMs - (Date.now() - started);
        if (options.signal?.aborted) return fail('aborted', options.signal.reason, attempt);
        if (remainingMs <= 0 || deadline.signal.aborted) return fail('timeout', undefined, attempt);
        try {
          const completion = await this.client.chat.completions.create(
            {
              model: this.model,
              messages,
              temperature: options.temperature ?? 0,
              ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
            },
            { signal, timeout: Math.max(1, remainingMs), maxRetries: 0 },
          );
          const content = completion.choices?.[0]?.message?.content;
          if (typeof content !== 'string' || content.trim() === '') {
            throw new ChatModelFailure('invalid_output', 'the reply had no text content');
          }
          this.logger.debug({ attempts: attempt + 1, elapsedMs: Date.now() - started, characters: content.length }, 'chat completion');
          return content;
        } catch (error) {
          if (options.signal?.aborted) return fail('aborted', error, attempt + 1);
          if (deadline.signal.aborted) return fail('timeout', error, attempt + 1);
          const { reason, retryable, headers } = classify(error);
          if (!retryable || attempt >= this.maxRetries) return fail(reason, error, attempt + 1);
          const waitMs = retryAfterMs(headers) ?? this.retryBaseDelayMs * 2 ** attempt;
          const leftMs = budgetMs - (Date.now() - started);
          // A wait that would leave no time for a real attempt is not worth making: fail now.
          if (waitMs + minimumAttemptMs > leftMs) return fail(reason, error, attempt + 1);
          this.logger.info({ reason, attempt: attempt + 1, waitMs }, 'retrying chat completion');
          await sleep(waitMs, signal);
        }
      }
    } finally {
      clearTimeout(deadlineTimer);
    }
  }
}
