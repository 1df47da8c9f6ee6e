// `shishin eval [SUITE…]`: runs the evaluation suites in evals/suites (qa, intake) and prints their
// tables; the same as `npm run eval`. Results go to evals/results/latest.{md,json}, which always hold
// every suite: naming suites refreshes their sections and keeps the others.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCommandLine } from './command-line.js';

const help = `Usage: shishin eval [SUITE…]

Runs the evaluation suites in evals/suites (all of them when none is named, e.g. "qa" or "intake"),
prints Markdown tables and updates evals/results/latest.md and latest.json: the named suites'
sections are replaced, the other suites' sections are kept, each with the time it was run.
Exit codes: 0 success, 1 a suite failed, 2 bad arguments or no such suite.
`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandLine({ args, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } } }, help, {
    output: process.stdout,
    errors: process.stderr,
  });
  if (typeof parsed === 'number') return parsed;
  // The eval runner lives beside the eval sets, outside src/, so it is loaded by path at run time.
  const runner = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'evals', 'run.ts');
  const { main } = (await import(pathToFileURL(runner).href)) as { main(argv: string[]): Promise<number> };
  return main(parsed.positionals);
}
