// Runs every evaluation suite in evals/suites/*.ts, prints the figures as Markdown tables and writes
// evals/results/latest.json and latest.md. `npm run eval` (or `tsx evals/run.ts [SUITE…]` to run
// only the named suites, e.g. `qa`). Exit code 1 when a suite fails to run.
// The results files always hold every suite: a run of some suites replaces only their sections, and
// each section records when it was run.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Cell = string | number;

export interface SuiteTable {
  caption: string;
  rows: Array<Record<string, Cell>>;
}

export interface SuiteResult {
  title: string;
  tables: SuiteTable[];
  metrics: Record<string, number>;
}

/** One suite's section of latest.json: its result (or why it failed), how long it took and when it ran. */
export type StoredSuite = (SuiteResult & { seconds: number; runAt: string }) | { error: string; runAt: string };

/** latest.json: when it was last written and every suite's latest section. */
export interface EvalResults {
  runAt: string;
  suites: Record<string, StoredSuite>;
}

interface SuiteModule {
  run(options?: Record<string, unknown>): Promise<SuiteResult>;
}

const evalsDir = path.dirname(new URL(import.meta.url).pathname);

function escapeCell(value: Cell | undefined): string {
  if (value === undefined) return '';
  return String(value).replace(/\|/gu, '\\|').replace(/\n/gu, ' ');
}

/** One Markdown table; the columns are the union of the rows' keys in first-seen order. */
export function markdownTable(table: SuiteTable): string {
  const columns: string[] = [];
  for (const row of table.rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  if (columns.length === 0) return `_${table.caption}: no rows_\n`;
  const lines = [
    `**${table.caption}**`,
    '',
    `| ${columns.map((column) => escapeCell(column)).join(' | ')} |`,
    `| ${columns.map((column) => (table.rows.every((row) => typeof row[column] === 'number' || row[column] === undefined) ? '---:' : '---')).join(' | ')} |`,
    ...table.rows.map((row) => `| ${columns.map((column) => escapeCell(row[column])).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function suiteMarkdown(name: string, result: SuiteResult, seconds: number, runAt?: string): string {
  const when = runAt === undefined ? '' : `, run at ${runAt}`;
  return [`## ${result.title}`, '', `_suite \`${name}\`, ${seconds.toFixed(1)} s${when}_`, '', ...result.tables.map((table) => markdownTable(table))].join('\n');
}

/**
 * The previous results with the fresh sections put in: suites not run this time keep their previous
 * section (and its time; files written before sections had one take the file's), suites that no longer
 * exist are dropped, and the sections follow the order of `suites`.
 */
export function mergeResults(previous: unknown, fresh: Record<string, StoredSuite>, suites: string[], runAt: string): EvalResults {
  const old = (previous ?? {}) as Partial<{ runAt: unknown; suites: Record<string, unknown> }>;
  const oldSuites = old.suites !== null && typeof old.suites === 'object' ? old.suites : {};
  const merged: Record<string, StoredSuite> = {};
  for (const name of suites) {
    const kept = oldSuites[name] as Partial<StoredSuite> | undefined;
    if (fresh[name] !== undefined) merged[name] = fresh[name];
    else if (kept !== undefined && kept !== null && typeof kept === 'object') {
      merged[name] = { ...kept, runAt: typeof kept.runAt === 'string' ? kept.runAt : typeof old.runAt === 'string' ? old.runAt : 'unknown' } as StoredSuite;
    }
  }
  return { runAt, suites: merged };
}

/** latest.md from the merged results: every suite's section with the time it was run. */
export function resultsMarkdown(results: EvalResults): string {
  const sections = [
    '# Evaluation results',
    '',
    `Written at ${results.runAt}. \`npm run eval\` runs every suite; \`npm run eval -- SUITE\` reruns one and keeps the others' sections.`,
    '',
  ];
  for (const [name, suite] of Object.entries(results.suites)) {
    if ('error' in suite) sections.push(`## ${name}`, '', `Failed (run at ${suite.runAt}): ${suite.error}`, '');
    else sections.push(suiteMarkdown(name, suite, suite.seconds, suite.runAt));
  }
  return `${sections.join('\n')}\n`;
}

async function readPrevious(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export interface EvalRunOptions {
  /** Where latest.json and latest.md go; default evals/results. */
  resultsDir?: string;
}

/** Runs the named suites (all when none are named); returns the exit code. */
export async function main(argv: string[] = process.argv.slice(2), options: EvalRunOptions = {}): Promise<number> {
  const unknownOption = argv.find((argument) => argument.startsWith('-'));
  if (unknownOption !== undefined) {
    process.stderr.write(`Unknown option "${unknownOption}". Name suites only, e.g. qa or intake.\n`);
    return 2;
  }
  const wanted = argv;
  const suitesDir = path.join(evalsDir, 'suites');
  const files = (await readdir(suitesDir)).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort();
  const allNames = files.map((file) => file.replace(/\.ts$/u, ''));
  const names = allNames.filter((name) => wanted.length === 0 || wanted.includes(name));
  const unmatched = wanted.filter((name) => !allNames.includes(name));
  if (names.length === 0 || unmatched.length > 0) {
    process.stderr.write(`No suite matched ${(unmatched.length > 0 ? unmatched : wanted).join(', ')}. Suites: ${files.join(', ')}\n`);
    return 2;
  }
  const fresh: Record<string, StoredSuite> = {};
  let failed = 0;
  for (const name of names) {
    const started = performance.now();
    const runAt = new Date().toISOString();
    try {
      const module = (await import(pathToFileURL(path.join(suitesDir, `${name}.ts`)).href)) as SuiteModule;
      const result = await module.run({});
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`${suiteMarkdown(name, result, seconds)}\n`);
      fresh[name] = { ...result, seconds: Math.round(seconds * 10) / 10, runAt };
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`Suite ${name} failed: ${message}\n`);
      fresh[name] = { error: error instanceof Error ? error.message : String(error), runAt };
    }
  }
  const resultsDir = options.resultsDir ?? path.join(evalsDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const jsonFile = path.join(resultsDir, 'latest.json');
  const results = mergeResults(await readPrevious(jsonFile), fresh, allNames, new Date().toISOString());
  await writeFile(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(path.join(resultsDir, 'latest.md'), resultsMarkdown(results));
  const kept = Object.keys(results.suites).filter((name) => !names.includes(name));
  process.stderr.write(`Wrote ${path.relative(process.cwd(), jsonFile)} and latest.md (${names.join(', ')} updated${kept.length > 0 ? `; ${kept.join(', ')} kept from the previous run` : ''})\n`);
  return failed > 0 ? 1 : 0;
}

// Run only when executed (`tsx evals/run.ts`), not when imported by a test.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await main();
}
