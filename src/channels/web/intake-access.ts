// Read access to intakes for web users and the public JSON view of a record with its history.
import type { AppContext } from '../../app-context.js';
import { actorKey, type Actor } from '../../core/actor.js';
import type { RegisterRow } from '../../core/review/intake-service.js';
import { toRegisterRows } from '../../core/review/register-format.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { ShishinError } from '../../errors.js';

/** One line of an intake's history, taken from the audit trail. */
export interface HistoryEntry {
  sequence: number;
  at: string;
  action: string;
  actor: string;
  details: Record<string, unknown>;
}

/** Loads an intake the actor may see: its submitter or a governance member. */
export async function readableIntake(app: AppContext, actor: Actor, id: string): Promise<IntakeRecord> {
  const record = await app.intakes.get(id);
  if (actorKey(record.submittedBy) !== actorKey(actor) && !app.intakes.isGovernanceMember(actor)) {
    throw new ShishinError('not_authorised', 'Only the submitter and governance members can see this intake.');
  }
  return record;
}

export async function intakeHistory(app: AppContext, id: string): Promise<HistoryEntry[]> {
  const entries = await app.store.listAudit({ intakeId: id });
  return entries.map((entry) => ({
    sequence: entry.sequence,
    at: entry.at,
    action: entry.action,
    actor: 'channel' in entry.actor ? `${entry.actor.channel}:${entry.actor.id}` : String(entry.actor),
    details: entry.details,
  }));
}

/** The record as the API shows it: everything but transport bookkeeping (idempotency key, chat message refs). */
export function intakeJson(record: IntakeRecord): Record<string, unknown> {
  return {
    id: record.id,
    version: record.version,
    previousId: record.previousId,
    status: record.status,
    input: record.input,
    classification: record.classification,
    submittedBy: actorKey(record.submittedBy),
    submittedAt: record.submittedAt,
    decision: record.decision,
    decidedBy: record.decidedBy === undefined ? undefined : actorKey(record.decidedBy),
    decidedAt: record.decidedAt,
    decisionComment: record.decisionComment,
    updatedAt: record.updatedAt,
  };
}

/**
 * The register rows the actor may see: everything for governance members (and for everyone with
 * REGISTER_VISIBILITY=all), otherwise only the actor's own intakes — the same rule as reading one.
 */
export async function visibleRegister(app: AppContext, actor: Actor): Promise<{ rows: RegisterRow[]; scope: 'all' | 'own' }> {
  if (app.config.registerVisibility === 'all' || app.intakes.isGovernanceMember(actor)) {
    return { rows: await app.intakes.register(), scope: 'all' };
  }
  // list() is newest first; the register reads oldest first.
  const own = await app.intakes.list({ submittedBy: actor });
  return { rows: toRegisterRows([...own].reverse()), scope: 'own' };
}
