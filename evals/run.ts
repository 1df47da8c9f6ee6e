// Runs every evaluation suite in evals/suites/*.ts, prints the figures as Markdown tables and writes
// evals/results/latest.json and latest.md. `npm run eval` (or `tsx evals/run.ts [SUITE…]` to run
// only the named suites, e.g. `qa`). Exit code 1 when a suite fails to run.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
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

export function suiteMarkdown(name: string, result: SuiteResult, seconds: number): string {
  return [`## ${result.title}`, '', `_suite \`${name}\`, ${seconds.toFixed(1)} s_`, '', ...result.tables.map((table) => markdownTable(table))].join('\n');
}

/** Runs the named suites (all when none are named); returns the exit code. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const wanted = argv.filter((argument) => !argument.startsWith('-'));
  const suitesDir = path.join(evalsDir, 'suites');
  const files = (await readdir(suitesDir)).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort();
  const names = files.map((file) => file.replace(/\.ts$/u, '')).filter((name) => wanted.length === 0 || wanted.includes(name));
  if (names.length === 0) {
    process.stderr.write(`No suite matched ${wanted.join(', ')}. Suites: ${files.join(', ')}\n`);
    return 2;
  }
  const startedAt = new Date().toISOString();
  const sections: string[] = [`# Evaluation results`, '', `Run at ${startedAt}.`, ''];
  const json: Record<string, unknown> = {};
  let failed = 0;
  for (const name of names) {
    const started = performance.now();
    try {
      const module = (await import(pathToFileURL(path.join(suitesDir, `${name}.ts`)).href)) as SuiteModule;
      const result = await module.run({});
      const seconds = (performance.now() - started) / 1000;
      const markdown = suiteMarkdown(name, result, seconds);
      process.stdout.write(`${markdown}\n`);
      sections.push(markdown);
      json[name] = { ...result, seconds: Math.round(seconds * 10) / 10 };
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`Suite ${name} failed: ${message}\n`);
      sections.push(`## ${name}`, '', `Failed: ${error instanceof Error ? error.message : String(error)}`, '');
      json[name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  const resultsDir = path.join(evalsDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ runAt: startedAt, suites: json }, null, 2)}\n`);
  await writeFile(path.join(resultsDir, 'latest.md'), `${sections.join('\n')}\n`);
  process.stderr.write(`Wrote evals/results/latest.json and latest.md\n`);
  return failed > 0 ? 1 : 0;
}

// Run only when executed (`tsx evals/run.ts`), not when imported by a test.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await main();
}
