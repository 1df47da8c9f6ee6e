// `shishin export --format csv|json [--output FILE]`: writes the AI use-case register (one row per
// intake version) from the configured store; `--dashboard` writes the dashboard's figures instead.
// Needs no corpus index.
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { buildDashboard } from '../core/review/dashboard.js';
import { toRegisterRows, formatRegisterCsv, formatRegisterJson } from '../core/review/register-format.js';
import { isShishinError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createStore } from '../providers/store/create-store.js';
import { parseCommandLine } from './command-line.js';

const help = `Usage: shishin export --format csv|json [--output FILE]
       shishin export --dashboard [--output FILE]

Exports the AI use-case register: id, title, business unit, owner, risk tier, status, decided by and
at, obligations, version and submission time, then the tracked obligation items (open, done, not
applicable, overdue), the next review date and the newer version that replaced it, if any; one row
per intake version, oldest first. CSV follows RFC 4180 (obligations joined with "; "; cells that a
spreadsheet would run as formulas get a leading apostrophe). Without --output it goes to stdout.
--dashboard writes the dashboard's figures instead (the JSON of GET /api/dashboard).
`;

const optionsSchema = z.union([
  z.object({
    format: z.enum(['csv', 'json'], { error: () => '--format must be csv or json' }),
    output: z.string().trim().min(1, '--output needs a file name').optional(),
    dashboard: z.undefined(),
  }),
  z.object({
    format: z.undefined({ error: () => '--dashboard takes no --format (it is JSON)' }),
    output: z.string().trim().min(1, '--output needs a file name').optional(),
    dashboard: z.literal(true),
  }),
]);

export async function run(args: string[]): Promise<number> {
  const parsedArgs = parseCommandLine({ args, options: { format: { type: 'string' }, output: { type: 'string' }, dashboard: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }, help, {
    output: process.stdout,
    errors: process.stderr,
  });
  if (typeof parsedArgs === 'number') return parsedArgs;
  const { values } = parsedArgs;
  const parsed = optionsSchema.safeParse({ format: values.format, output: values.output, dashboard: values.dashboard });
  if (!parsed.success) {
    const messages = values.format === undefined && values.dashboard !== true ? ['--format must be csv or json'] : [...new Set(parsed.error.issues.map((issue) => issue.message))];
    process.stderr.write(`${messages.join('\n')}\n\n${help}`);
    return 2;
  }
  const { format, output } = parsed.data;
  try {
    const config = loadConfig();
    const store = await createStore(config, createLogger({ level: 'warn', destination: process.stderr }));
    const now = new Date();
    let rows;
    try {
      rows = toRegisterRows(await store.listIntakes({ order: 'oldest' }), await store.listObligationItems(), now);
    } finally {
      await store.close();
    }
    const text = format === undefined ? `${JSON.stringify(buildDashboard(rows, now), null, 2)}\n` : format === 'csv' ? formatRegisterCsv(rows) : formatRegisterJson(rows);
    if (output === undefined) process.stdout.write(text);
    else {
      await writeFile(output, text, 'utf8');
      process.stderr.write(format === undefined ? `Wrote the dashboard figures of ${rows.length} register rows to ${output}.\n` : `Wrote ${rows.length} register rows to ${output}.\n`);
    }
    return 0;
  } catch (error) {
    if (isShishinError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
