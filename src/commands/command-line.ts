// Reading a command's arguments the same way in every command: a parse error prints the message and
// the usage and exits 2; --help prints the usage and exits 0.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CommandStreams {
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
}

/** The parsed arguments, or the exit code when usage or help was printed instead. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T, usage: string, streams: CommandStreams): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    streams.errors.write(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((parsed.values as Record<string, unknown>)['help'] === true) {
    streams.output.write(usage);
    return 0;
  }
  return parsed;
}
