// The obligation-item service interface: read an intake's items or a person's, and change one item.
// Implemented once in core (create-obligation-service.ts) and called by every door (web console,
// JSON API, Slack, Teams).
import type { Actor } from '../actor.js';
import type { Locale } from '../i18n/locale.js';
import type { ObligationItem } from './obligation-types.js';
import type { IntakeRecord } from './review-types.js';

/**
 * A change to one item. Values are unvalidated (checked in core: ShishinError input_invalid with
 * field errors `status`, `evidence.note`, `evidence.link`, `reason`, `owner`, `dueAt`, `comment`,
 * `revision`). Absent fields stay as they are.
 */
export interface ObligationUpdateRequest {
  itemId: string;
  actor: Actor;
  /** `open` (reopen), `done` (needs evidence: a note or a link) or `not_applicable` (needs a reason). */
  status?: unknown;
  /** Replaces the note and/or the link given; an empty string removes one. */
  evidence?: { note?: unknown; link?: unknown };
  /** Why the item does not apply. */
  reason?: unknown;
  /** The new owner as `channel:id` (`slack:U123`, `teams:<aad-object-id>`, `web:alice`). */
  owner?: unknown;
  /** The new due date: `YYYY-MM-DD` (the end of that day, UTC) or an ISO time; null or '' removes it. */
  dueAt?: unknown;
  /** A short note kept in the audit trail with the change (e.g. why an item is reopened). */
  comment?: unknown;
  /** Language of the field errors and refusals (default `en`). */
  locale?: Locale;
  /** The revision the caller saw; when given and the item moved on meanwhile, `conflict`. */
  revision?: unknown;
}

/** What `actor` may do with an item. */
export interface ObligationPermissions {
  /** Complete, mark not applicable, edit evidence and reason: the submitter and the item's owner. */
  complete: boolean;
  /** Reopen a done or not-applicable item: the submitter, the owner and governance members. */
  reopen: boolean;
  /** Change the owner or the due date: the submitter, the owner and governance members. */
  assign: boolean;
}

/** An item with the intake it belongs to. */
export interface ObligationEntry {
  item: ObligationItem;
  intake: IntakeRecord;
}

export interface ObligationService {
  /** The items of one intake, by number. */
  forIntake(intakeId: string): Promise<ObligationItem[]>;
  /**
   * The live items (of approved intakes, or intakes due for re-review) that `actor` owns or whose
   * intake they submitted: open ones first, by due date.
   */
  forPerson(actor: Actor): Promise<ObligationEntry[]>;
  /** One item with its intake; ShishinError not_found (worded in `locale`, default `en`) when missing or malformed. */
  get(itemId: string, locale?: Locale): Promise<ObligationEntry>;
  permissions(actor: Actor, entry: ObligationEntry): ObligationPermissions;
  /** Whether `actor` may read the intake because they own one of its items. */
  ownsItemOf(actor: Actor, intakeId: string): Promise<boolean>;
  /**
   * Changes one item: validated, authorised (not_authorised), only while the intake is approved or
   * due for re-review (conflict), compare-and-set on the revision, with an `obligation.updated`
   * audit entry. A request that changes nothing returns the item as it is, unwritten.
   */
  update(request: ObligationUpdateRequest): Promise<ObligationEntry>;
}
