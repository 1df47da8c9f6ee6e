// `shishin reviews due [--within DAYS] [--json]`: the approved AI use cases due for their scheduled
// re-review — waiting in the review queue, or past their date and not yet picked up (no server
// running) — and, with --within, those coming due in the next DAYS days. Reads the configured store
// (DATABASE_URL, else DATA_DIR/shishin.db); needs no corpus index and changes nothing.
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { countObligations } from '../core/review/obligation-types.js';
import { describeActor } from '../core/review/register-format.js';
import { trackedStatuses } from '../core/review/review-transitions.js';
import { isShishinError } from '../errors.js';
import { createLogger } from '../logger.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { IntakeStore } from '../ports/intake-store.js';
import { createStore } from '../providers/store/create-store.js';
import { parseCommandLine } from './command-line.js';

const help = `Usage: shishin reviews due [--within DAYS] [--json]

Lists the approved AI use cases due for their scheduled re-review: those already back in the review
queue ("review_due") and those whose next review date has passed but that no running server has put
back in the queue yet. --within DAYS also lists those coming due in the next DAYS days. Soonest
first. --json prints a JSON array of {id, title, businessUnit, owner, tier, status, nextReviewAt,
due, obligations: {open, done, notApplicable, overdue}}.
`;

const optionsSchema = z.object({
  within: z
    .string()
    .regex(/^[0-9]{1,4}$/, '--within must be a number of days (0-9999)')
    .transform(Number)
    .optional(),
  json: z.boolean().optional(),
});

export interface DueReview {
  id: string;
  title: string;
  businessUnit: string;
  owner: string;
  tier: string;
  status: string;
  nextReviewAt: string;
  /** True when the review date has passed (in the queue or about to be). */
  due: boolean;
  obligations: { open: number; done: number; notApplicable: number; overdue: number };
}

/** The re-reviews due by now (plus `withinDays` ahead), soonest first. */
export async function dueReviews(store: IntakeStore, now: Date, withinDays = 0): Promise<DueReview[]> {
  const horizon = new Date(now.getTime() + withinDays * 24 * 60 * 60 * 1000).toISOString();
  const records = (await store.listIntakes({ status: [...trackedStatuses] })).filter(
    (record) => record.status === 'review_due' || (record.nextReviewAt !== undefined && record.nextReviewAt <= horizon),
  );
  const items = records.length === 0 ? [] : await store.listObligationItems({ intakeIds: records.map((record) => record.id) });
  return records
    .map((record) => {
      const counts = countObligations(
        items.filter((item) => item.intakeId === record.id),
        now,
      );
      const nextReviewAt = record.nextReviewAt ?? '';
      return {
        id: record.id,
        title: record.input.title,
        businessUnit: record.input.businessUnit,
        owner: describeActor(record.submittedBy),
        tier: record.classification.tier,
        status: record.status,
        nextReviewAt,
        due: record.status === 'review_due' || (nextReviewAt !== '' && Date.parse(nextReviewAt) <= now.getTime()),
        obligations: { open: counts.open, done: counts.done, notApplicable: counts.notApplicable, overdue: counts.overdue },
      };
    })
    .sort((left, right) => left.nextReviewAt.localeCompare(right.nextReviewAt) || left.id.localeCompare(right.id));
}

export function formatDueReview(review: DueReview): string {
  const when = review.due ? `due since ${review.nextReviewAt.slice(0, 10)}` : `due ${review.nextReviewAt.slice(0, 10)}`;
  const items = `${review.obligations.open} open item${review.obligations.open === 1 ? '' : 's'}${review.obligations.overdue > 0 ? ` (${review.obligations.overdue} overdue)` : ''}`;
  return [review.id, review.tier.padEnd(10), review.status.replace(/_/g, ' ').padEnd(24), when.padEnd(22), items.padEnd(26), review.title].join('  ');
}

export async function run(args: string[], clock: Clock = systemClock): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') {
    process.stdout.write(help);
    return subcommand === undefined ? 2 : 0;
  }
  if (subcommand !== 'due') {
    process.stderr.write(`Unknown reviews command "${subcommand}".\n\n${help}`);
    return 2;
  }
  const parsedArgs = parseCommandLine({ args: rest, options: { within: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }, help, {
    output: process.stdout,
    errors: process.stderr,
  });
  if (typeof parsedArgs === 'number') return parsedArgs;
  const parsed = optionsSchema.safeParse({ within: parsedArgs.values.within, json: parsedArgs.values.json });
  if (!parsed.success) {
    process.stderr.write(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n\n${help}`);
    return 2;
  }
  try {
    const config = loadConfig();
    const store = await createStore(config, createLogger({ level: 'warn', destination: process.stderr }));
    let reviews: DueReview[];
    try {
      reviews = await dueReviews(store, clock.now(), parsed.data.within ?? 0);
    } finally {
      await store.close();
    }
    if (parsed.data.json === true) {
      process.stdout.write(`${JSON.stringify(reviews)}\n`);
      return 0;
    }
    if (reviews.length === 0) {
      process.stdout.write(`No re-review is due${parsed.data.within === undefined ? '' : ` within ${parsed.data.within} days`}.\n`);
      return 0;
    }
    for (const review of reviews) process.stdout.write(`${formatDueReview(review)}\n`);
    return 0;
  } catch (error) {
    if (isShishinError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
