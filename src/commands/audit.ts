// `shishin audit verify | list`: checks the audit trail's hash chain, or prints its entries.
// Uses the configured store (DATABASE_URL, else DATA_DIR/shishin.db); needs no corpus index.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { isShishinError } from '../errors.js';
import { createLogger } from '../logger.js';
import type { AuditEntry, IntakeStore } from '../ports/intake-store.js';
import { createStore } from '../providers/store/create-store.js';

const help = `Usage: shishin audit verify
       shishin audit list [--intake ID] [--limit N] [--json]

verify  Walks the hash chain of the audit trail. Exit code 0 when intact; 1 when broken, printing
        the first broken entry's sequence number and why.
list    Prints the latest entries, oldest of them first (default limit 50; --json prints one JSON
        object per line). --intake shows only the entries of one intake.
`;

const listOptionsSchema = z.object({
  intake: z.string().trim().min(1, 'must not be empty').optional(),
  limit: z
    .string()
    .regex(/^[1-9][0-9]*$/, 'must be a positive whole number')
    .transform(Number)
    .optional(),
  json: z.boolean().optional(),
});

function actorText(actor: AuditEntry['actor']): string {
  return `${actor.channel}:${actor.id}`;
}

export function formatAuditLine(entry: AuditEntry): string {
  return [String(entry.sequence).padStart(6), entry.at, entry.action.padEnd(18), actorText(entry.actor).padEnd(24), entry.intakeId ?? '-', JSON.stringify(entry.details)].join('  ');
}

async function withStore<T>(work: (store: IntakeStore) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const store = await createStore(config, logger);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function verify(): Promise<number> {
  const result = await withStore((store) => store.verifyAudit());
  if (result.ok) {
    process.stdout.write(`Audit trail intact: ${result.entries} entries verified.\n`);
    return 0;
  }
  process.stdout.write(`Audit trail BROKEN at sequence ${result.firstBrokenSequence}: ${result.reason}.\n`);
  return 1;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { intake: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const parsed = listOptionsSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`--${issue.path.join('.')}: ${issue.message}\n`);
    return 2;
  }
  const options = parsed.data;
  const entries = await withStore((store) =>
    store.listAudit({ order: 'descending', limit: options.limit ?? 50, ...(options.intake === undefined ? {} : { intakeId: options.intake }) }),
  );
  entries.reverse();
  for (const entry of entries) process.stdout.write(`${options.json === true ? JSON.stringify(entry) : formatAuditLine(entry)}\n`);
  if (entries.length === 0 && options.json !== true) process.stderr.write('No audit entries.\n');
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || rest.includes('--help')) {
    process.stdout.write(help);
    return subcommand === undefined ? 2 : 0;
  }
  try {
    if (subcommand === 'verify' && rest.length === 0) return await verify();
    if (subcommand === 'list') return await list(rest);
    process.stderr.write(`Unknown audit command "${args.join(' ')}".\n\n${help}`);
    return 2;
  } catch (error) {
    if (isShishinError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      process.stderr.write(`${error.message}\n\n${help}`);
      return 2;
    }
    throw error;
  }
}
