// `shishin ingest [PATH…]`: indexes the corpus folder (default CORPUS_DIR) or the given files and
// folders into DATA_DIR/index. Prints one line per file and a summary. Exit codes: 0 all files
// indexed, 1 some file failed (listed with the reason), 2 bad arguments or configuration.
import { loadConfig } from '../config.js';
import { isShishinError } from '../errors.js';
import { createLogger } from '../logger.js';
import { openConfiguredIndex } from '../providers/index/open-configured-index.js';
import { parseCommandLine } from './command-line.js';

const help = `Usage: shishin ingest [options] [PATH...]

Index governance documents for retrieval. Without PATH, indexes CORPUS_DIR (default ./corpus).
Unchanged files are skipped; changed files are re-indexed; files removed from a scanned folder are
dropped from the index. Supported: .md .markdown .txt .html .htm .pdf .docx

Options:
  --rebuild   Discard the stored index and index everything again
  -h, --help  Show this help

Environment: CORPUS_DIR, DATA_DIR, EMBEDDINGS (local|openai), LOG_LEVEL.
Exit codes: 0 success, 1 some files failed, 2 bad arguments.`;

export async function run(args: string[], output: NodeJS.WritableStream = process.stdout, errors: NodeJS.WritableStream = process.stderr): Promise<number> {
  const parsed = parseCommandLine(
    { args, allowPositionals: true, strict: true, options: { rebuild: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } },
    `${help}\n`,
    { output, errors },
  );
  if (typeof parsed === 'number') return parsed;
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    errors.write(`${(error as Error).message}\n`);
    return 2;
  }
  // Logs go to stderr so stdout stays the per-file report.
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, destination: process.stderr });
  try {
    const { index, embedder } = await openConfiguredIndex(config, logger, { autoIngest: false });
    const paths = parsed.positionals.length > 0 ? parsed.positionals : undefined;
    const report = await index.ingest(paths, { rebuild: parsed.values.rebuild === true });
    const line = (status: string, file: string, detail = '') => output.write(`${status.padEnd(9)} ${file}${detail ? `  — ${detail}` : ''}\n`);
    for (const file of report.added) line('added', file);
    for (const file of report.updated) line('updated', file);
    for (const file of report.unchanged) line('unchanged', file);
    for (const file of report.removed) line('removed', file);
    for (const failure of report.failed) line('FAILED', failure.file, failure.reason);
    output.write(
      `\n${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ` +
        `${report.removed.length} removed, ${report.failed.length} failed; ${report.passages} passages indexed with ${embedder.id} in ${report.ms} ms\n`,
    );
    return report.failed.length > 0 ? 1 : 0;
  } catch (error) {
    logger.error({ err: error }, 'ingest failed');
    errors.write(`ingest failed: ${isShishinError(error) ? error.message : (error as Error).message}\n`);
    return isShishinError(error, 'config_invalid') ? 2 : 1;
  }
}
