// Obligation items: an approved intake's checklist (and the conditions of its approval) as tracked
// items with a status, an owner, a due date and evidence. Created with the approval decision,
// changed by the submitter and the owners, reopened by the governance team; every change is an
// audit entry.
import type { Actor } from '../actor.js';
import { intakeIdPattern } from './intake-id.js';

export const obligationStatuses = ['open', 'done', 'not_applicable'] as const;
export type ObligationStatus = (typeof obligationStatuses)[number];

/** Where an item came from: the classification's checklist, or a condition of the approval. */
export type ObligationSource = 'obligation' | 'condition';

/** What shows an item was done: a note, a link, or both. */
export interface ObligationEvidence {
  note?: string;
  /** An http(s) address (a document, a ticket, a dashboard). */
  link?: string;
}

/** The actor of changes Shishin makes by itself (items created for an intake approved before tracking). */
export type SystemActor = { channel: 'system'; id: string };

export interface ObligationItem {
  /** `<intake id>-<number>`, e.g. `AI-7K3F9Q-3`. */
  id: string;
  intakeId: string;
  /** 1, 2, 3 … within the intake, in the order the items were created. */
  number: number;
  source: ObligationSource;
  /** The rules file's obligation id (`eu.risk_management`), for items from the checklist. */
  obligationId?: string;
  /** Framework of a checklist item (`EU AI Act`, `Internal policy`, …). */
  framework?: string;
  text: string;
  status: ObligationStatus;
  /** Who does it; the submitter unless someone else was assigned. */
  owner?: Actor;
  dueAt?: string;
  evidence?: ObligationEvidence;
  /** Why the item does not apply (status `not_applicable`). */
  reason?: string;
  /** 1 when created, one more with every change; updates compare it so concurrent edits never cross. */
  revision: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: Actor | SystemActor;
}

export const obligationItemIdPattern = /^(AI-[0-9A-HJKMNP-TV-Z]{6})-([1-9][0-9]{0,3})$/;

export function obligationItemId(intakeId: string, number: number): string {
  return `${intakeId}-${number}`;
}

/** The intake id inside an item id, or undefined when the id is malformed. */
export function intakeIdOfItem(itemId: string): string | undefined {
  const match = obligationItemIdPattern.exec(itemId);
  return match === null || !intakeIdPattern.test(match[1] ?? '') ? undefined : match[1];
}

/** Open and past its due date at `now`. */
export function isOverdue(item: Pick<ObligationItem, 'status' | 'dueAt'>, now: Date): boolean {
  return item.status === 'open' && item.dueAt !== undefined && Date.parse(item.dueAt) < now.getTime();
}

/** Open and due within `days` from `now` (not yet overdue). */
export function isDueSoon(item: Pick<ObligationItem, 'status' | 'dueAt'>, now: Date, days: number): boolean {
  if (item.status !== 'open' || item.dueAt === undefined) return false;
  const due = Date.parse(item.dueAt);
  return due >= now.getTime() && due <= now.getTime() + days * 24 * 60 * 60 * 1000;
}

/** Counts of an intake's items by status, plus how many open ones are overdue. */
export interface ObligationCounts {
  total: number;
  open: number;
  done: number;
  notApplicable: number;
  overdue: number;
}

export function countObligations(items: readonly ObligationItem[], now: Date): ObligationCounts {
  const counts: ObligationCounts = { total: items.length, open: 0, done: 0, notApplicable: 0, overdue: 0 };
  for (const item of items) {
    if (item.status === 'open') counts.open += 1;
    else if (item.status === 'done') counts.done += 1;
    else counts.notApplicable += 1;
    if (isOverdue(item, now)) counts.overdue += 1;
  }
  return counts;
}
