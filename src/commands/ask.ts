// `shishin ask [--json] [QUESTION]`: answers a question from the governance corpus with citations.
// With --json and no QUESTION, reads one question per line on stdin and prints one JSON object per
// line (a failing line prints {"error": {...}} and the run continues). Logs go to stderr.
//
// Start-up time is most of a one-off question's cost, so this module imports only what parsing the
// arguments needs; configuration, the index and the answer service load once a question is due.
import { createInterface } from 'node:readline';
import { isShishinError } from '../errors.js';
import type { Answer, AnswerDetails, AnswerService } from '../core/answer/answer.js';
import type { Locale } from '../core/i18n/locale.js';
import { t } from '../core/i18n/translate.js';
import { publicCitation, relatedSourceLines } from '../core/presentation/answer-presentation.js';
import { commandLocale, languageOptionProblem, parseCommandLine } from './command-line.js';

const help = `Usage: shishin ask [--json] [--lang ja|en] [QUESTION]

Answer a question from the governance corpus, with numbered citations.
The first run indexes CORPUS_DIR (default ./corpus) into DATA_DIR (default ./data).

Options:
  --json      Print the answer as JSON: {"answer","grounded","citations":[...],"related":[...]}
              ("related": strong passages the answer does not cite, numbered after the citations).
              Without QUESTION, read one question per line on stdin and print one JSON object per line.
  --lang L    Frame the answer in ja or en (notes, "not covered", labels); default: the language the
              question is written in
  -h, --help  Show this help

Environment: CORPUS_DIR, DATA_DIR, PROMPTS_DIR, EMBEDDINGS, OPENAI_API_KEY / OPENAI_BASE_URL
(generated answers; extractive answers without them), OPENAI_CHAT_MODEL, LLM_TIMEOUT_MS.
Exit codes: 0 answered, 1 failure, 2 bad arguments or an invalid question.`;

export interface AskStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
}

/** Only the public Answer fields, in the documented order; `related` after `citations`. */
export function publicAnswer(details: Answer): Answer {
  return {
    answer: details.answer,
    grounded: details.grounded,
    citations: details.citations.map(publicCitation),
    related: details.related.map(publicCitation),
  };
}

/** The human rendering: answer, optional note, a numbered source list, then any related sources; labels in `locale` (default: the answer's). */
export function renderAnswer(details: AnswerDetails, locale: Locale = details.locale ?? 'en'): string {
  const lines = [details.answer];
  if (details.note !== undefined) lines.push('', t(locale, 'cli.note', { note: details.note }));
  if (details.citations.length > 0) {
    lines.push('', t(locale, 'cli.sources'));
    for (const citation of details.citations) {
      lines.push(`[${citation.n}] ${citation.title} — ${citation.section}`);
      if (citation.url !== undefined) lines.push(`    ${citation.url}`);
      lines.push(`    "${citation.quote.replace(/\s+/gu, ' ')}"`);
    }
  }
  const related = relatedSourceLines(details.related, locale);
  if (related.length > 0) lines.push('', ...related);
  return `${lines.join('\n')}\n`;
}

function errorMessage(error: unknown): { code: string; message: string } {
  if (isShishinError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: 'The question could not be answered.' };
}

async function openService(errors: NodeJS.WritableStream): Promise<AnswerService> {
  const [{ loadConfig }, { createLogger }, { createAnswerService }, { openConfiguredIndex }] = await Promise.all([
    import('../config.js'),
    import('../logger.js'),
    import('../core/answer/answer-service.js'),
    import('../providers/index/open-configured-index.js'),
  ]);
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, destination: errors });
  const { index, embedder } = await openConfiguredIndex(config, logger, { autoIngest: true });
  // The OpenAI SDK is loaded only when a model is configured: it is a noticeable part of start-up.
  const chatModel = config.openai.chatEnabled ? (await import('../providers/llm/create-chat-model.js')).createChatModel(config, logger) : undefined;
  return createAnswerService({
    retriever: index,
    relevanceThreshold: index.relevanceThreshold,
    ...(chatModel !== undefined ? { chatModel } : {}),
    promptsDir: config.promptsDir,
    logger,
    maxQuestionChars: config.maxQuestionChars,
    // The local embedder is cheap enough to rank extract sentences; a remote one would add a call.
    ...(config.embeddings === 'local' ? { embedder } : {}),
  });
}

export async function run(args: string[], streams: Partial<AskStreams> = {}): Promise<number> {
  const input = streams.input ?? process.stdin;
  const output = streams.output ?? process.stdout;
  const errors = streams.errors ?? process.stderr;
  const parsed = parseCommandLine(
    { args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } } },
    `${help}\n`,
    { output, errors },
  );
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json === true;
  const lang = parsed.values.lang;
  const languageProblem = lang === undefined ? undefined : languageOptionProblem(lang);
  if (languageProblem !== undefined) {
    errors.write(`${languageProblem}\n\n${help}\n`);
    return 2;
  }
  // --lang frames every answer; without it each answer follows its question's language.
  const locale = lang === undefined ? undefined : commandLocale(lang);
  const question = parsed.positionals.join(' ').trim();
  if (question === '' && !json) {
    errors.write(`${t(commandLocale(lang), 'cli.questionRequired')}\n\n${help}\n`);
    return 2;
  }

  let service: AnswerService;
  try {
    service = await openService(errors);
  } catch (error) {
    errors.write(`ask failed: ${errorMessage(error).message}\n`);
    if (!isShishinError(error)) errors.write(`${String((error as Error).stack ?? error)}\n`);
    return isShishinError(error, 'config_invalid') ? 2 : 1;
  }

  if (question !== '') {
    try {
      const details = await service.ask({ question, channel: 'cli', ...(locale === undefined ? {} : { locale }) });
      output.write(json ? `${JSON.stringify(publicAnswer(details))}\n` : renderAnswer(details));
      return 0;
    } catch (error) {
      const problem = errorMessage(error);
      if (json) output.write(`${JSON.stringify({ error: problem })}\n`);
      else errors.write(`${problem.message}\n`);
      return problem.code === 'input_invalid' ? 2 : 1;
    }
  }

  let failures = 0;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const details = await service.ask({ question: line, channel: 'cli', ...(locale === undefined ? {} : { locale }) });
      output.write(`${JSON.stringify(publicAnswer(details))}\n`);
    } catch (error) {
      failures += 1;
      output.write(`${JSON.stringify({ error: errorMessage(error) })}\n`);
    }
  }
  return failures > 0 ? 1 : 0;
}
