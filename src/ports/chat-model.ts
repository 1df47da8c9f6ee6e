// The chat-model port: one completion from an OpenAI-compatible (or other) LLM.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  /** Aborts the call; implementations must stop waiting when it fires. */
  signal?: AbortSignal;
  /** Upper bound for the whole call including retries, in milliseconds. */
  timeoutMs?: number;
  temperature?: number;
  maxTokens?: number;
}

export interface ChatModel {
  /** Model identity for logs and metrics, e.g. `openai:gpt-4o-mini`. */
  readonly id: string;
  /** Returns the assistant's text. Throws ShishinError('provider_failed') on any failure. */
  complete(messages: ChatMessage[], options?: ChatOptions): Promise<string>;
}
