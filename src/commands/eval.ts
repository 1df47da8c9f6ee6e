// `shishin eval [SUITE…]`: runs the evaluation suites in evals/suites (qa, intake) and prints their
// tables; the same as `npm run eval`. Results are also written to evals/results/latest.{md,json}.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const help = `Usage: shishin eval [SUITE…]

Runs the evaluation suites in evals/suites (all of them when none is named, e.g. "qa" or "intake"),
prints Markdown tables and writes evals/results/latest.md and latest.json.
Exit codes: 0 success, 1 a suite failed, 2 no suite matched.`;

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  // The eval runner lives beside the eval sets, outside src/, so it is loaded by path at run time.
  const runner = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'evals', 'run.ts');
  const { main } = (await import(pathToFileURL(runner).href)) as { main(argv: string[]): Promise<number> };
  return main(args);
}
