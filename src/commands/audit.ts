// `shishin audit verify | head | list`: checks the audit trail (its hash chain, every intake's state
// against it, and optionally an anchored head), prints the head hash to anchor elsewhere, or prints
// entries. Uses the configured store (DATABASE_URL, else DATA_DIR/shishin.db); needs no corpus index.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { isShishinError } from '../errors.js';
import { createLogger } from '../logger.js';
import type { AuditEntry, AuditVerification, IntakeStore } from '../ports/intake-store.js';
import { genesisHash, headHashPattern } from '../providers/store/audit-chain.js';
import { createStore } from '../providers/store/create-store.js';
import { describeCommandLineError, isCommandLineError } from './command-line.js';

const help = `Usage: shishin audit verify [--expect-head HASH] [--json]
       shishin audit head [--json]
       shishin audit list [--intake ID] [--limit N] [--json]

verify  Walks the hash chain of the audit trail and replays it against every stored intake: its
        submitted content, tier, status, decision, decider, comment and next review date, and every
        obligation item (status, owner, due date, evidence), must match the entries.
        --expect-head HASH also checks that an earlier head (from \`audit head\`) is still in the
        trail, which detects entries removed from its end. Exit code 0 when everything matches;
        1 when the chain is broken, an intake differs (reported by intake id) or the head is missing.
head    Prints the hash of the latest entry, to keep outside the database (a daily log line, a
        ticket) and pass to \`verify --expect-head\` later. --json adds its sequence and time.
list    Prints the latest entries, oldest of them first (default limit 50; --json prints one JSON
        object per line). --intake shows only the entries of one intake.
`;

/** Differences printed by \`verify\` before it summarises the rest. */
const maximumPrintedDrift = 100;

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

const verifyOptionsSchema = z.object({
  'expect-head': z
    .string()
    .trim()
    .regex(headHashPattern, 'must be a 64-character SHA-256 hex hash, as printed by `shishin audit head`')
    .optional(),
  json: z.boolean().optional(),
});

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The human report of a verification, one finding per line. */
export function formatVerification(result: AuditVerification): string {
  const lines: string[] = [];
  if (result.firstBrokenSequence === undefined) lines.push(`Audit trail intact: ${result.entries} entries verified.`);
  else lines.push(`Audit trail BROKEN at sequence ${result.firstBrokenSequence}: ${result.reason}.`);
  if (result.driftCount === 0) {
    const items = result.obligationItems > 0 ? ` and ${plural(result.obligationItems, 'obligation item')}` : '';
    lines.push(`Intakes: ${plural(result.intakes, 'intake')}${items} ${result.intakes === 1 && items === '' ? 'matches' : 'match'} the audit trail.`);
  } else {
    const intakes = new Set(result.drift.map((item) => item.intakeId)).size;
    lines.push(`Intake state DIFFERS from the audit trail (${plural(result.driftCount, 'difference')}${result.driftCount === result.drift.length ? ` in ${plural(intakes, 'intake')}` : ''}):`);
    for (const item of result.drift.slice(0, maximumPrintedDrift)) lines.push(`  ${item.intakeId}: ${item.message}`);
    if (result.driftCount > maximumPrintedDrift) lines.push(`  … and ${result.driftCount - maximumPrintedDrift} more (--json lists up to ${result.drift.length}).`);
  }
  if (result.expectedHead !== undefined) {
    lines.push(
      result.expectedHead.found
        ? `Expected head found${result.expectedHead.sequence === undefined ? ' (the empty trail)' : ` at sequence ${result.expectedHead.sequence}`}.`
        : `Expected head ${result.expectedHead.hash} is NOT in the trail: entries were removed from its end, or the trail was rewritten.`,
    );
  }
  lines.push(result.head === undefined ? 'Head: none (the trail is empty).' : `Head: sequence ${result.head.sequence}, hash ${result.head.hash}`);
  return `${lines.join('\n')}\n`;
}

async function verify(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'expect-head': { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const parsed = verifyOptionsSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`--${issue.path.join('.')}: ${issue.message}\n`);
    return 2;
  }
  const expectHead = parsed.data['expect-head']?.toLowerCase();
  const result = await withStore((store) => store.verifyAudit(expectHead === undefined ? {} : { expectHead }));
  process.stdout.write(parsed.data.json === true ? `${JSON.stringify(result)}\n` : formatVerification(result));
  return result.ok ? 0 : 1;
}

async function head(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const [latest] = await withStore((store) => store.listAudit({ order: 'descending', limit: 1 }));
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(latest === undefined ? { sequence: 0, hash: genesisHash } : { sequence: latest.sequence, hash: latest.hash, at: latest.at })}\n`);
    return 0;
  }
  if (latest === undefined) process.stderr.write('The audit trail is empty; its head is the genesis hash.\n');
  process.stdout.write(`${latest?.hash ?? genesisHash}\n`);
  return 0;
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
    if (subcommand === 'verify') return await verify(rest);
    if (subcommand === 'head') return await head(rest);
    if (subcommand === 'list') return await list(rest);
    process.stderr.write(`Unknown audit command "${args.join(' ')}".\n\n${help}`);
    return 2;
  } catch (error) {
    if (isShishinError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (isCommandLineError(error)) {
      process.stderr.write(`${describeCommandLineError(error)}\n\n${help}`);
      return 2;
    }
    throw error;
  }
}
