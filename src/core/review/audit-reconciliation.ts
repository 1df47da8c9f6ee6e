// Replays the audit trail into the state every intake should have — submitted content, tier,
// status, decision, decider, comment, next review date, and every obligation item — and compares
// the stored intakes and items with it. An edit made in the database without a matching entry (an
// approval with a forged decider, a lowered tier, a changed field, a deleted decision entry, an
// item marked done or a due date moved by hand) shows up here as drift, reported by intake id.
import { actorKey, type Actor } from '../actor.js';
import type { AuditEntry } from '../../ports/intake-store.js';
import { classificationHash, intakeAuditActions, intakeContentHash, normaliseTimestamp, obligationItemHash } from './intake-audit.js';
import type { ObligationItem } from './obligation-types.js';
import type { IntakeRecord } from './review-types.js';

/** One way an intake's stored state differs from what the audit trail says. */
export interface IntakeDrift {
  intakeId: string;
  /**
   * What differs: `record`, `content`, `classification`, `tier`, `flagged`, `status`, `decision`,
   * `decidedBy`, `decidedAt`, `comment`, `nextReviewAt`, or `item:<item id>`.
   */
  field: string;
  /** One sentence for the operator. */
  message: string;
}

/** Columns some stores keep beside the record (for queries); they must agree with it. */
export interface StoredIntakeColumns {
  tier?: string;
  flagged?: boolean;
}

interface TrailState {
  submitted?: { contentHash?: string };
  attested?: { contentHash?: string; classificationHash?: string };
  classified?: { tier?: unknown; flagged?: unknown; status?: unknown; classificationHash?: string };
  decided?: { decision?: unknown; to?: unknown; comment?: unknown; decidedAt?: unknown; actor: AuditEntry['actor'] };
  /** The status the latest status-carrying entry leaves (classified, decided, review due). */
  status?: unknown;
  /** The next review the latest decision scheduled (undefined: none recorded). */
  nextReviewAt?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function describe(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'none';
  return typeof value === 'string' ? value.replace(/_/g, ' ') : JSON.stringify(value);
}

function sameActor(left: AuditEntry['actor'] | Actor | undefined, right: AuditEntry['actor'] | Actor | undefined): boolean {
  if (left === undefined || right === undefined) return left === right;
  const leftName = 'displayName' in left ? left.displayName : undefined;
  const rightName = 'displayName' in right ? right.displayName : undefined;
  return `${left.channel}:${left.id}` === `${right.channel}:${right.id}` && (leftName ?? '') === (rightName ?? '');
}

function actorText(actor: AuditEntry['actor'] | Actor | undefined): string {
  if (actor === undefined) return 'no one';
  const key = actor.channel === 'system' ? `system:${actor.id}` : actorKey(actor as Actor);
  const name = 'displayName' in actor ? actor.displayName : undefined;
  return name === undefined || name === '' ? key : `${name} (${key})`;
}

export class IntakeTrailReplay {
  private readonly states = new Map<string, TrailState>();
  private readonly checked = new Set<string>();
  /** Each item's expected state hash, from the latest entry that wrote it. */
  private readonly items = new Map<string, { intakeId: string; stateHash: string }>();
  private readonly checkedItems = new Set<string>();

  /** Feed every entry, in sequence order. Entries that carry no intake state are ignored. */
  addEntry(entry: AuditEntry): void {
    if (entry.intakeId === undefined) return;
    const details = entry.details;
    const state = (): TrailState => {
      const id = entry.intakeId as string;
      let found = this.states.get(id);
      if (found === undefined) {
        found = {};
        this.states.set(id, found);
      }
      return found;
    };
    switch (entry.action) {
      case intakeAuditActions.submitted: {
        const contentHash = text(details.contentHash);
        state().submitted = contentHash === undefined ? {} : { contentHash };
        return;
      }
      case intakeAuditActions.attested: {
        const contentHash = text(details.contentHash);
        const hash = text(details.classificationHash);
        state().attested = { ...(contentHash === undefined ? {} : { contentHash }), ...(hash === undefined ? {} : { classificationHash: hash }) };
        return;
      }
      case intakeAuditActions.classified: {
        const hash = text(details.classificationHash);
        const current = state();
        current.classified = { tier: details.tier, flagged: details.flagged, status: details.status, ...(hash === undefined ? {} : { classificationHash: hash }) };
        current.status = details.status;
        return;
      }
      case intakeAuditActions.decided: {
        const current = state();
        current.decided = { decision: details.decision, to: details.to, comment: details.comment, decidedAt: details.decidedAt, actor: entry.actor };
        current.status = details.to;
        const nextReviewAt = text(details.nextReviewAt);
        if (nextReviewAt === undefined) delete current.nextReviewAt;
        else current.nextReviewAt = nextReviewAt;
        return;
      }
      case intakeAuditActions.reviewDue:
        state().status = details.to;
        return;
      case intakeAuditActions.reviewScheduled: {
        const nextReviewAt = text(details.nextReviewAt);
        if (nextReviewAt !== undefined) state().nextReviewAt = nextReviewAt;
        return;
      }
      case intakeAuditActions.itemsCreated: {
        const items = Array.isArray(details.items) ? details.items : [];
        for (const item of items as Array<Record<string, unknown>>) {
          const id = text(item.id);
          const stateHash = text(item.stateHash);
          if (id !== undefined && stateHash !== undefined) this.items.set(id, { intakeId: entry.intakeId, stateHash });
        }
        return;
      }
      case intakeAuditActions.itemUpdated: {
        const id = text(details.itemId);
        const stateHash = text(details.stateHash);
        if (id !== undefined && stateHash !== undefined) this.items.set(id, { intakeId: entry.intakeId, stateHash });
        return;
      }
      default:
        return;
    }
  }

  /** Compares one stored obligation item with the latest entry that wrote it; call after every entry was added. */
  checkItem(item: ObligationItem): IntakeDrift[] {
    this.checkedItems.add(item.id);
    const field = `item:${item.id}`;
    const expected = this.items.get(item.id);
    if (expected === undefined) {
      return [{ intakeId: item.intakeId, field, message: `obligation item ${item.id} is in the database but the audit trail never recorded it` }];
    }
    if (expected.intakeId !== item.intakeId || obligationItemHash(item) !== expected.stateHash) {
      return [
        {
          intakeId: item.intakeId,
          field,
          message: `obligation item ${item.id} (status ${describe(item.status)}) differs from its last entry in the audit trail (status, owner, due date, evidence or text changed outside Shishin)`,
        },
      ];
    }
    return [];
  }

  /** Compares one stored intake with the replayed trail; call after every entry was added. */
  check(record: IntakeRecord, columns: StoredIntakeColumns = {}): IntakeDrift[] {
    const drift: IntakeDrift[] = [];
    const report = (field: string, message: string) => drift.push({ intakeId: record.id, field, message });
    this.checked.add(record.id);
    const state = this.states.get(record.id);
    if (state?.submitted === undefined) {
      report('record', 'is in the database but the audit trail has no submission for it');
      return drift;
    }

    const expectedContent = state.submitted.contentHash ?? state.attested?.contentHash;
    if (expectedContent === undefined) {
      report('content', 'its submitted content is not covered by the audit trail (no content hash)');
    } else if (intakeContentHash(record) !== expectedContent) {
      report('content', 'its submitted content (fields, submitter, time or version link) differs from what the audit trail recorded');
    }

    const classified = state.classified;
    if (classified === undefined) {
      report('classification', 'the audit trail has no classification for it');
    } else {
      const recordedTier = classified.tier;
      if (recordedTier !== undefined && record.classification.tier !== recordedTier) {
        report('tier', `tier is ${describe(record.classification.tier)} in the database, but the audit trail says ${describe(recordedTier)}`);
      } else if (columns.tier !== undefined && columns.tier !== record.classification.tier) {
        report('tier', `tier column is ${describe(columns.tier)} in the database, but the audit trail says ${describe(recordedTier ?? record.classification.tier)}`);
      }
      if (classified.flagged !== undefined && record.classification.flagged !== classified.flagged) {
        report('flagged', `flagged is ${String(record.classification.flagged)} in the database, but the audit trail says ${String(classified.flagged)}`);
      } else if (columns.flagged !== undefined && columns.flagged !== record.classification.flagged) {
        report('flagged', `flagged column is ${String(columns.flagged)} in the database, but the classification says ${String(record.classification.flagged)}`);
      }
      // A changed tier or flag already says the classification differs; the hash catches the rest.
      const reported = drift.some((item) => item.field === 'tier' || item.field === 'flagged');
      const expectedClassification = classified.classificationHash ?? state.attested?.classificationHash;
      if (!reported && expectedClassification !== undefined && classificationHash(record.classification) !== expectedClassification) {
        report('classification', 'its classification (reasons, obligations or signals) differs from what the audit trail recorded');
      }
    }

    const decided = state.decided;
    const expectedStatus = state.status;
    if (expectedStatus !== undefined && record.status !== expectedStatus) {
      report('status', `status is ${describe(record.status)} in the database, but the audit trail says ${describe(expectedStatus)}`);
    }
    const storedReview = record.nextReviewAt === undefined ? undefined : normaliseTimestamp(record.nextReviewAt);
    const recordedReview = state.nextReviewAt === undefined ? undefined : normaliseTimestamp(state.nextReviewAt);
    if (storedReview !== recordedReview) {
      report('nextReviewAt', `next review is ${storedReview ?? 'none'} in the database, but the audit trail says ${recordedReview ?? 'none'}`);
    }
    if (decided === undefined) {
      const stored = [record.decision, record.decidedBy, record.decidedAt, record.decisionComment].some((value) => value !== undefined);
      if (stored) {
        report(
          'decision',
          `the database records a decision (${describe(record.decision)} by ${actorText(record.decidedBy)}), but the audit trail has none`,
        );
      }
      return drift;
    }
    if (record.decision !== decided.decision) {
      report('decision', `decision is ${describe(record.decision)} in the database, but the audit trail says ${describe(decided.decision)}`);
    }
    if (!sameActor(record.decidedBy, decided.actor)) {
      report('decidedBy', `decided by ${actorText(record.decidedBy)} in the database, but the audit trail says ${actorText(decided.actor)}`);
    }
    if (record.decisionComment !== text(decided.comment)) {
      report('comment', 'the decision comment differs from the one in the audit trail');
    }
    const recordedAt = text(decided.decidedAt);
    if (recordedAt !== undefined && (record.decidedAt === undefined || normaliseTimestamp(record.decidedAt) !== normaliseTimestamp(recordedAt))) {
      report('decidedAt', `decided at ${record.decidedAt ?? 'no time'} in the database, but the audit trail says ${recordedAt}`);
    }
    return drift;
  }

  /** Intakes and items the trail records that the database no longer holds. */
  missing(): IntakeDrift[] {
    const drift: IntakeDrift[] = [];
    for (const [intakeId, state] of this.states) {
      if (this.checked.has(intakeId) || state.submitted === undefined) continue;
      drift.push({ intakeId, field: 'record', message: 'the audit trail records its submission, but the database no longer holds it' });
    }
    for (const [itemId, expected] of this.items) {
      if (this.checkedItems.has(itemId)) continue;
      drift.push({ intakeId: expected.intakeId, field: `item:${itemId}`, message: `the audit trail records obligation item ${itemId}, but the database no longer holds it` });
    }
    return drift;
  }
}
