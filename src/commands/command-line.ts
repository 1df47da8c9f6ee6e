// Reading a command's arguments the same way in every command: a parse error prints one plain message
// and the usage and exits 2; --help prints the usage and exits 0. The messages are our own, with the
// same quoting everywhere (Node's own say `'-- "--x"` with a quote left open).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fallbackLocale, isLocale, localeFromTag, locales, type Locale } from '../core/i18n/locale.js';

export interface CommandStreams {
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
}

/** The error `parseArgs` throws for an unknown option, a missing or extra value, or an unexpected argument. */
export function isCommandLineError(error: unknown): error is TypeError & { code: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/**
 * One sentence for a `parseArgs` error, arguments in double quotes. `allowPositionals` adds how to
 * pass an argument that starts with "-".
 */
export function describeCommandLineError(error: TypeError & { code: string }, allowPositionals = false): string {
  const argument = /'([^']*)'/u.exec(error.message)?.[1];
  if (argument === undefined) return error.message;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return allowPositionals
        ? `Unknown option "${argument}". To pass it as an argument instead, put it after "--", as in: -- ${argument}`
        : `Unknown option "${argument}".`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = argument.split(' ')[0] ?? argument;
      return /does not take/u.test(error.message) ? `Option "${option}" does not take a value.` : `Option "${option}" needs a value.`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument "${argument}": this command takes options only.`;
    default:
      return error.message.replace(/'([^']*)'/gu, '"$1"');
  }
}

/** The parsed arguments, or the exit code when usage or help was printed instead. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T, usage: string, streams: CommandStreams): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    if (!isCommandLineError(error)) throw error;
    streams.errors.write(`${describeCommandLineError(error, config.allowPositionals === true)}\n\n${usage}`);
    return 2;
  }
  if ((parsed.values as Record<string, unknown>)['help'] === true) {
    streams.output.write(usage);
    return 0;
  }
  return parsed;
}

/** `--lang ja|en`: the language of a command's output. Anything else is a usage error. */
export const languageOptionProblem = (value: string): string | undefined =>
  isLocale(value) ? undefined : `--lang must be one of ${locales.join(', ')} (got "${value.slice(0, 20)}")`;

/**
 * The language of a command's output: `--lang`, else the language LC_ALL, LC_MESSAGES or LANG names
 * (read by the configuration), else DEFAULT_LOCALE, else English when the configuration is invalid
 * (the command then reports that itself).
 */
export function commandLocale(option: string | undefined, environment: NodeJS.ProcessEnv = process.env): Locale {
  if (option !== undefined && isLocale(option)) return option;
  // Read from the environment directly, as the configuration would: `--help` and usage errors stay
  // fast because the configuration (and what it imports) is not loaded for them.
  // The first of LC_ALL, LC_MESSAGES and LANG that is set names the language (POSIX precedence).
  const posix = [environment.LC_ALL, environment.LC_MESSAGES, environment.LANG].find((value) => value !== undefined && value.trim() !== '');
  const configured = environment.DEFAULT_LOCALE?.trim();
  return localeFromTag(posix) ?? (isLocale(configured) ? configured : fallbackLocale);
}

/**
 * Takes `--lang VALUE` / `--lang=VALUE` out of hand-parsed arguments: the value (undefined when
 * absent), the other arguments, or a usage problem.
 */
export function takeLanguageOption(args: readonly string[]): { lang: string | undefined; rest: string[] } | { problem: string } {
  const rest: string[] = [];
  let lang: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const argument = args[index] ?? '';
    if (argument === '--lang') {
      const value = args[index + 1];
      if (value === undefined || value.startsWith('-')) return { problem: '--lang needs a value: ja or en' };
      lang = value;
      index += 1;
    } else if (argument.startsWith('--lang=')) {
      lang = argument.slice('--lang='.length);
    } else {
      rest.push(argument);
    }
  }
  if (lang !== undefined) {
    const problem = languageOptionProblem(lang);
    if (problem !== undefined) return { problem };
  }
  return { lang, rest };
}
