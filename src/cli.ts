// The `shishin` command. Each subcommand lives in src/commands/<name>.ts and exports
// `run(args: string[]): Promise<number>` returning the exit code.

export const commands: Record<string, string> = {
  serve: 'Run the service: web console, JSON API, Slack and Teams endpoints',
  ingest: 'Index the corpus (or the given files/folders) for retrieval',
  ask: 'Answer a question from the governance corpus, with citations',
  classify: 'Classify an AI use-case intake (JSON file, JSON Lines, or - for stdin)',
  export: 'Export the AI use-case register (--format csv|json)',
  audit: 'Verify the audit trail against the stored intakes, print its head, or list it (audit verify | head | list)',
  reviews: 'List the approved AI use cases due for their scheduled re-review (reviews due [--within DAYS] [--json])',
  eval: 'Run the evaluation sets in evals/ and print the figures',
};

export function usage(): string {
  const lines = ['Usage: shishin <command> [options]', '', 'Commands:'];
  for (const [name, summary] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${summary}`);
  lines.push('', 'Run `shishin <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    process.exitCode = name === undefined ? 2 : 0;
    return;
  }
  if (!(name in commands)) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  const module = (await import(`./commands/${name}.js`)) as { run(args: string[]): Promise<number> };
  process.exitCode = await module.run(rest);
}
