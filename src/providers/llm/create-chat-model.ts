// Picks the chat model from configuration: an OpenAI-compatible endpoint when OPENAI_API_KEY or
// OPENAI_BASE_URL is set, otherwise none (answers are then extractive).
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { ChatModel } from '../../ports/chat-model.js';
import { OpenAIChatModel } from './openai-chat-model.js';

/** The configured chat model, or undefined when no LLM is configured. */
export function createChatModel(config: Config, logger: Logger): ChatModel | undefined {
  if (!config.openai.chatEnabled) return undefined;
  const model = new OpenAIChatModel({
    model: config.openai.chatModel,
    ...(config.openai.apiKey !== undefined ? { apiKey: config.openai.apiKey } : {}),
    ...(config.openai.baseUrl !== undefined ? { baseURL: config.openai.baseUrl } : {}),
    timeoutMs: config.openai.timeoutMs,
    logger,
  });
  logger.info({ chatModel: model.id, customEndpoint: config.openai.baseUrl !== undefined }, 'chat model configured');
  return model;
}
