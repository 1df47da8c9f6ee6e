// The intake service interface: submit, classify, read, decide, export. Implemented once in core and
// called by every door (web, Slack, Teams, CLI).
import type { Actor } from '../actor.js';
import type { Classification } from '../intake/classification.js';
import type { IntakeInput } from '../intake/intake-schema.js';
import type { Locale } from '../i18n/locale.js';
import type { Decision, IntakeRecord, IntakeStatus } from './review-types.js';

export interface SubmitRequest {
  /** Unvalidated intake fields; validated here (ShishinError input_invalid with field errors). */
  input: unknown;
  submittedBy: Actor;
  /** Client-supplied key; a retried submit with the same key returns the same intake. */
  idempotencyKey: string;
  /** For a resubmission after `changes_requested`: the id of the earlier version. */
  previousId?: string;
  /** Language of the field errors and refusals (default `en`); the stored intake is the same in every language. */
  locale?: Locale;
}

export interface DecideRequest {
  intakeId: string;
  actor: Actor;
  decision: Decision;
  /** Required for approve_with_conditions, request_changes and reject. */
  comment?: string;
  /** Language of the refusals and comment errors (default `en`). */
  locale?: Locale;
}

export interface RegisterRow {
  id: string;
  title: string;
  businessUnit: string;
  owner: string;
  tier: string;
  status: IntakeStatus;
  decidedBy: string;
  decidedAt: string;
  /** The tier's name in the register's language (the `tier` code stays the same in every language). */
  tierLabel: string;
  /** The status's name in the register's language. */
  statusLabel: string;
  /** The reviewer's comment or conditions with the decision ('' when none). */
  decisionComment: string;
  obligations: string[];
  /** What to ask the vendor for (duties that bind the vendor, not the intake's roles). */
  vendorAsks: string[];
  version: number;
  submittedAt: string;
  /** Tracked obligation items (an approval's checklist and conditions) by status; 0 before approval. */
  obligationsOpen: number;
  obligationsDone: number;
  obligationsNotApplicable: number;
  /** Open items past their due date when the register was produced. */
  obligationsOverdue: number;
  /** Next scheduled review (ISO), or '' when none. */
  nextReviewAt: string;
  /** The id of the newer version that replaced this one, or '' for the latest version. */
  supersededBy: string;
}

/** A question someone asked the governance team to answer (from "Ask the governance team"). */
export interface QuestionEscalation {
  question: string;
  askedBy: Actor;
  askedAt: string;
  /** The answer that prompted it, when there was one. */
  answerId?: string;
}

/** Told about workflow events so chat doors can post and update review messages. Must not throw. */
export interface ReviewNotifier {
  readonly name: string;
  intakeSubmitted(record: IntakeRecord): Promise<void>;
  intakeDecided(record: IntakeRecord): Promise<void>;
  /** Posts an escalated question where the governance team works; true when it was delivered. */
  questionEscalated?(escalation: QuestionEscalation): Promise<boolean>;
}

export interface EscalationResult {
  /** Names of the notifiers that delivered it (e.g. `slack`, `teams`); empty when none is set up. */
  deliveredTo: string[];
  /** True when this person already sent this question (or this answer's question): nothing was sent again. */
  duplicate: boolean;
  escalation: QuestionEscalation;
}

export interface IntakeService {
  /** Classifies without storing (preview). */
  classify(input: IntakeInput): Promise<Classification>;
  submit(request: SubmitRequest): Promise<{ record: IntakeRecord; created: boolean }>;
  /** ShishinError not_found when missing (worded in `locale`, default `en`). */
  get(id: string, locale?: Locale): Promise<IntakeRecord>;
  list(query?: { status?: IntakeStatus[]; submittedBy?: Actor; limit?: number }): Promise<IntakeRecord[]>;
  /** The review queue: flagged and undecided, then re-reviews due, oldest submission first. */
  queue(): Promise<IntakeRecord[]>;
  /**
   * Only governance members may decide, and not on an intake they submitted (unless self-review is
   * allowed); others get not_authorised and the attempt on a real intake is audited. Attempts are
   * limited per person (rate_limited); a malformed or unknown intake id is not_found, unwritten.
   */
  decide(request: DecideRequest): Promise<IntakeRecord>;
  isGovernanceMember(actor: Actor): boolean;
  /** The register, texts (obligations, vendor asks, tier and status labels) in `locale` (default `en`). */
  register(locale?: Locale): Promise<RegisterRow[]>;
  /** A stored classification with its texts in `locale` (ids and codes unchanged; `en` as stored). */
  localize(classification: Classification, locale: Locale): Classification;
  /**
   * Sends a question to the governance team: audited (`question.escalated`), posted by every notifier
   * that can, once per person and answer (or question) within a week.
   */
  escalateQuestion(request: { actor: Actor; question: string; answerId?: string }): Promise<EscalationResult>;
  /** Questions escalated recently, newest first (from the audit trail). */
  recentEscalations(limit?: number): Promise<QuestionEscalation[]>;
  /** Adds a notifier (chat doors register themselves at start-up). */
  addNotifier(notifier: ReviewNotifier): void;
}
