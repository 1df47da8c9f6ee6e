// `shishin classify [FILE|-]`: classifies one intake (a JSON object) or many (JSON Lines) and prints the
// classification JSON. Invalid input exits with code 2 and the field errors on stderr; for JSON Lines a
// JSON error line takes the place of the bad input on stdout so output lines stay aligned.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { isShishinError, type FieldError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import type { Classifier } from '../core/intake/classifier.js';
import { parseIntake, type IntakeInput } from '../core/intake/intake-schema.js';
import { t } from '../core/i18n/translate.js';
import { commandLocale, languageOptionProblem, parseCommandLine } from './command-line.js';
import { splitIntakeInput } from './split-intake-input.js';

const help = `Usage: shishin classify [--lang ja|en] [FILE|-]

Classifies AI use-case intakes against the risk rules (RULES_FILE, default rules/risk-rules.yaml).
Input: one intake as a JSON object, or JSON Lines (one intake per line). FILE "-" or no FILE reads stdin.
Output: the classification JSON — pretty for a single object on a terminal, else one compact line per
intake. Exit codes: 0 all classified, 2 invalid input (field errors on stderr), 1 other failure.
--lang ja|en words the summaries, obligations, signals and field errors (default: LANG, else
DEFAULT_LOCALE); ids, tiers and codes are the same in every language.
`;

async function readInput(source: string | undefined): Promise<string> {
  if (source === undefined || source === '-') {
    if (process.stdin.isTTY) throw new Error('no input: give a FILE, or pipe an intake on stdin');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  return readFile(source, 'utf8');
}

/** Where and why the text is not JSON; a line of JSON Lines names only the column (its line is the prefix). */
function syntaxMessage(single: boolean, syntax: { line: number; column: number; reason: string }): string {
  return `Not valid JSON at ${single ? `line ${syntax.line}, column ${syntax.column}` : `column ${syntax.column}`}: ${syntax.reason}.`;
}

/** Opens the index and builds the classifier. Heavy modules load here, so --help and bad input stay fast. */
async function buildClassifier(logger: Logger): Promise<Classifier> {
  const [{ createClassifier, loadRules }, { openConfiguredIndex }, { createChatModel }] = await Promise.all([
    import('../core/intake/classifier.js'),
    import('../providers/index/open-configured-index.js'),
    import('../providers/llm/create-chat-model.js'),
  ]);
  const config = loadConfig();
  const rules = loadRules(config.rulesFile);
  const { index } = await openConfiguredIndex(config, logger, { autoIngest: true });
  const chatModel = config.openai.chatEnabled ? createChatModel(config, logger) : undefined;
  const dependencies = { rules, catalog: index, retriever: index, logger, promptsDir: config.promptsDir, chatTimeoutMs: config.openai.timeoutMs, ...(chatModel ? { chatModel } : {}) };
  try {
    return createClassifier(dependencies);
  } catch (error) {
    if (!isShishinError(error, 'config_invalid')) throw error;
    // The index may predate corpus changes the rules rely on: bring it up to date once, then retry.
    logger.warn({ reason: error.message }, 'rule citations did not resolve; refreshing the index');
    await index.ingest();
    return createClassifier(dependencies);
  }
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandLine({ args, allowPositionals: true, strict: true, options: { lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }, help, {
    output: process.stdout,
    errors: process.stderr,
  });
  if (typeof parsed === 'number') return parsed;
  const lang = parsed.values.lang;
  const languageProblem = lang === undefined ? undefined : languageOptionProblem(lang);
  if (languageProblem !== undefined) {
    process.stderr.write(`${languageProblem}\n\n${help}`);
    return 2;
  }
  const locale = commandLocale(lang);
  const files = parsed.positionals;
  if (files.length > 1) {
    process.stderr.write(`Give at most one FILE.\n\n${help}`);
    return 2;
  }
  let text: string;
  try {
    text = await readInput(files[0]);
  } catch (error) {
    process.stderr.write(`Cannot read the input: ${(error as Error).message}\n`);
    return 2;
  }
  const { single, items } = splitIntakeInput(text);
  // Validate everything first: input errors need no index.
  const checked = items.map((item): { line: number; input: IntakeInput } | { line: number; fields: FieldError[]; notJson?: true } => {
    if ('empty' in item) return { line: item.line, fields: [{ field: '_', message: 'The input is empty.' }] };
    if ('syntax' in item) return { line: item.line, fields: [{ field: '_', message: syntaxMessage(single, item.syntax) }], notJson: true };
    try {
      return { line: item.line, input: parseIntake(item.value, locale) };
    } catch (error) {
      if (!isShishinError(error, 'input_invalid')) throw error;
      return { line: item.line, fields: error.fields ?? [{ field: '_', message: error.message }] };
    }
  });
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  let classifier: Classifier | undefined;
  if (checked.some((item) => 'input' in item)) {
    try {
      classifier = await buildClassifier(logger);
    } catch (error) {
      logger.error({ err: error }, 'classifier could not start');
      process.stderr.write(`${isShishinError(error) ? error.message : 'The classifier could not start; see the log above.'}\n`);
      return 1;
    }
  }
  const pretty = single && process.stdout.isTTY === true;
  let invalid = 0;
  for (const item of checked) {
    if ('input' in item && classifier !== undefined) {
      try {
        const classification = classifier.localize(await classifier.classify(item.input), locale);
        process.stdout.write(`${JSON.stringify(classification, null, pretty ? 2 : undefined)}\n`);
      } catch (error) {
        logger.error({ err: error, line: item.line }, 'classification failed');
        process.stderr.write(`${single ? '' : `Line ${item.line}: `}classification failed: ${(error as Error).message}\n`);
        return 1;
      }
      continue;
    }
    if (!('fields' in item)) continue;
    invalid += 1;
    const prefix = single ? '' : `Line ${item.line}: `;
    if (item.notJson === true) process.stderr.write(`${prefix}${item.fields.map((field) => field.message).join(' ')}\n`);
    else process.stderr.write(`${single ? t(locale, 'cli.intakeInvalid') : t(locale, 'cli.lineIntakeInvalid', { line: item.line })}\n${item.fields.map((field) => `  ${field.field}: ${field.message}`).join('\n')}\n`);
    if (!single) {
      const message = item.notJson === true ? 'This line is not valid JSON.' : 'The intake is invalid.';
      process.stdout.write(`${JSON.stringify({ line: item.line, error: { code: 'input_invalid', message, fields: item.fields } })}\n`);
    }
  }
  return invalid > 0 ? 2 : 0;
}
