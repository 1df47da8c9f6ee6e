// Runs the benchmark sections in bench/sections/*.ts (each exports `run()` returning a titled
// table), prints them as Markdown and writes bench/results/latest.json and latest.md.
// Usage: npm run bench [-- NAME...]   (NAME filters sections by file name, e.g. `retrieval`)
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchSection {
  title: string;
  rows: Array<Record<string, string | number>>;
  notes?: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const sectionsDir = path.join(here, 'sections');
const resultsDir = path.join(here, 'results');

function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1);
  return value.replace(/\|/g, '\\|');
}

export function sectionToMarkdown(section: BenchSection): string {
  const lines = [`## ${section.title}`, ''];
  const columns = [...new Set(section.rows.flatMap((row) => Object.keys(row)))];
  if (columns.length > 0) {
    lines.push(`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`);
    for (const row of section.rows) lines.push(`| ${columns.map((column) => cell(row[column])).join(' | ')} |`);
    lines.push('');
  }
  for (const note of section.notes ?? []) lines.push(`- ${note}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));
  const files = (await readdir(sectionsDir)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')).sort();
  const selected = files.filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const results: Array<{ file: string; section?: BenchSection; error?: string; seconds: number }> = [];
  let failed = 0;
  for (const name of selected) {
    const started = performance.now();
    process.stderr.write(`bench: running ${name}…\n`);
    try {
      const module = (await import(pathToFileURL(path.join(sectionsDir, name)).href)) as { run(): Promise<BenchSection> };
      const section = await module.run();
      results.push({ file: name, section, seconds: (performance.now() - started) / 1000 });
      process.stdout.write(`${sectionToMarkdown(section)}\n`);
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ file: name, error: message, seconds: (performance.now() - started) / 1000 });
      process.stderr.write(`bench: ${name} failed: ${message}\n`);
    }
  }
  const date = new Date().toISOString();
  // A filtered run replaces only its own sections; the others keep their previous figures.
  type Stored = (typeof results)[number] & { date?: string };
  let previous: Stored[] = [];
  try {
    previous = (JSON.parse(await readFile(path.join(resultsDir, 'latest.json'), 'utf8')) as { results: Stored[] }).results ?? [];
  } catch {
    previous = [];
  }
  const merged: Stored[] = [
    ...previous.filter((entry) => !results.some((result) => result.file === entry.file) && files.includes(entry.file)),
    ...results.map((result) => ({ ...result, date })),
  ].sort((left, right) => left.file.localeCompare(right.file));
  const markdown = [
    '# Benchmark results',
    '',
    `Measured on ${machine}. Regenerate with \`npm run bench\` (or \`npm run bench -- NAME\` for one section).`,
    '',
    ...merged.map((result) =>
      result.section
        ? `${sectionToMarkdown(result.section)}\n_Measured ${(result.date ?? date).slice(0, 10)}._\n`
        : `## ${result.file}\n\nFailed: ${result.error?.split('\n')[0]}\n`,
    ),
  ].join('\n');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ date, machine, results: merged }, null, 2)}\n`);
  await writeFile(path.join(resultsDir, 'latest.md'), markdown);
  process.stderr.write(`bench: wrote bench/results/latest.md and latest.json (${results.length} sections, ${failed} failed)\n`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
