// Reading a command's arguments the same way in every command: a parse error prints one plain message
// and the usage and exits 2; --help prints the usage and exits 0. The messages are our own, with the
// same quoting everywhere (Node's own say `'-- "--x"` with a quote left open).
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
