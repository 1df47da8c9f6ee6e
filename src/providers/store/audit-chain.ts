// The audit trail's hash chain, shared by every store: canonical JSON, the hash of one entry, the
// walk that finds the first broken link, and the full verification (chain, head, intake state).
// Stores only decide how entries are persisted and read.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/review/canonical-json.js';
import { IntakeTrailReplay, type IntakeDrift, type StoredIntakeColumns } from '../../core/review/audit-reconciliation.js';
import type { ObligationItem } from '../../core/review/obligation-types.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import type { AuditEntry, AuditEntryInput, AuditVerification, AuditVerifyOptions } from '../../ports/intake-store.js';

/** The `previousHash` of the very first entry. */
export const genesisHash = '0'.repeat(64);

/** Re-exported: the audit hash is defined over core's canonical JSON. */
export { canonicalJson };

/**
 * Normalises details to plain JSON values (drops undefined, turns dates into strings) so what is
 * hashed is exactly what any store gives back when the entry is read again.
 */
export function normaliseDetails(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(canonicalJson(details)) as Record<string, unknown>;
}

/** SHA-256 (hex) over the canonical JSON of the entry's fields, `hash` itself excluded. */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(coveredFields(entry))).digest('hex');
}

/** Builds the next entry of the chain after `previous` (undefined for the first entry). */
export function chainAuditEntry(input: AuditEntryInput, previous: { sequence: number; hash: string } | undefined, at: string): AuditEntry {
  const unhashed: Omit<AuditEntry, 'hash'> = {
    sequence: (previous?.sequence ?? 0) + 1,
    at,
    action: input.action,
    actor: { ...input.actor },
    ...(input.intakeId === undefined ? {} : { intakeId: input.intakeId }),
    details: normaliseDetails(input.details),
    previousHash: previous?.hash ?? genesisHash,
  };
  return { ...unhashed, hash: hashAuditEntry(unhashed) };
}

/**
 * An entry ready to be appended once its place in the chain is known. The covered fields sort as
 * action, actor, at, details, intakeId, previousHash, sequence, so the canonical JSON that is
 * hashed is `hashPrefix` followed by `"previousHash":"…","sequence":N}`. A store can therefore do
 * all the JSON work before it takes the chain lock, and finish the hash (SHA-256 over the prefix's
 * UTF-8 bytes plus that ASCII tail) in the same statement that reads the tail of the chain.
 */
export interface PreparedAuditEntry {
  at: string;
  action: string;
  actor: AuditEntry['actor'];
  intakeId?: string;
  details: Record<string, unknown>;
  /** Canonical JSON of the entry up to and including the comma before `"previousHash"`. */
  hashPrefix: string;
}

/** The canonical JSON that follows the prefix; ASCII only (a hex hash and a decimal integer). */
export function auditHashTail(previousHash: string, sequence: number): string {
  return `"previousHash":"${previousHash}","sequence":${sequence}}`;
}

/** Builds everything of an entry that does not depend on the entries before it. */
export function prepareAuditEntry(input: AuditEntryInput, at: string): PreparedAuditEntry {
  const fields = {
    at,
    action: input.action,
    actor: { ...input.actor },
    ...(input.intakeId === undefined ? {} : { intakeId: input.intakeId }),
    details: normaliseDetails(input.details),
  };
  const probe = canonicalJson(coveredFields({ ...fields, sequence: 0, previousHash: genesisHash }));
  const tail = auditHashTail(genesisHash, 0);
  // Holds as long as previousHash and sequence are the last keys in sorted order; checked, not assumed.
  if (!probe.endsWith(`,${tail}`)) throw new Error('audit entry fields no longer end with previousHash and sequence');
  return { ...fields, hashPrefix: probe.slice(0, probe.length - tail.length) };
}

/** Completes a prepared entry at a given place in the chain, hashing it in Node. */
export function completeAuditEntry(prepared: PreparedAuditEntry, previous: { sequence: number; hash: string } | undefined): AuditEntry {
  const sequence = (previous?.sequence ?? 0) + 1;
  const previousHash = previous?.hash ?? genesisHash;
  const { hashPrefix, ...fields } = prepared;
  const hash = createHash('sha256').update(hashPrefix).update(auditHashTail(previousHash, sequence)).digest('hex');
  return { sequence, ...fields, previousHash, hash };
}

function coveredFields(entry: Omit<AuditEntry, 'hash'>): Record<string, unknown> {
  return {
    sequence: entry.sequence,
    at: entry.at,
    action: entry.action,
    actor: entry.actor,
    intakeId: entry.intakeId ?? null,
    details: entry.details,
    previousHash: entry.previousHash,
  };
}

/**
 * Incremental verifier: feed entries in sequence order; it remembers the first problem. Lets a
 * store walk a long trail page by page without holding it all in memory.
 */
export class AuditChainVerifier {
  private previous: { sequence: number; hash: string } | undefined;
  private count = 0;
  private broken: { sequence: number; reason: string } | undefined;

  /** Returns false once the chain is known to be broken; later entries are only counted. */
  add(entry: AuditEntry): boolean {
    this.count += 1;
    if (this.broken !== undefined) return false;
    const expectedSequence = (this.previous?.sequence ?? 0) + 1;
    const expectedPrevious = this.previous?.hash ?? genesisHash;
    if (entry.sequence !== expectedSequence) {
      this.broken = { sequence: entry.sequence, reason: `expected sequence ${expectedSequence}; entries are missing or reordered` };
    } else if (entry.previousHash !== expectedPrevious) {
      this.broken = { sequence: entry.sequence, reason: 'previous-hash link does not match the entry before it' };
    } else if (hashAuditEntry(entry) !== entry.hash) {
      this.broken = { sequence: entry.sequence, reason: 'hash does not match the entry contents (the entry was changed after it was written)' };
    }
    this.previous = { sequence: entry.sequence, hash: entry.hash };
    return this.broken === undefined;
  }

  result(): AuditChainResult {
    if (this.broken === undefined) return { ok: true, entries: this.count };
    return { ok: false, entries: this.count, firstBrokenSequence: this.broken.sequence, reason: this.broken.reason };
  }
}

/** The hash chain's part of a verification. */
export type AuditChainResult = Pick<AuditVerification, 'ok' | 'entries' | 'firstBrokenSequence' | 'reason'>;

/** At most this many differences are kept in a verification result (all are counted). */
export const maximumReportedDrift = 1000;

export const headHashPattern = /^[0-9a-f]{64}$/;

/**
 * The whole verification, fed by a store from one consistent snapshot: every entry in sequence
 * order (the chain, the head, the expected head and the replayed intake state), then every stored
 * intake (reconciled with that state).
 */
export class AuditTrailVerifier {
  private readonly chain = new AuditChainVerifier();
  private readonly replay = new IntakeTrailReplay();
  private readonly expectHead: string | undefined;
  private head: { sequence: number; hash: string } | undefined;
  private expectedAt: number | undefined;
  private intakes = 0;
  private items = 0;
  private readonly drift: IntakeDrift[] = [];
  private driftCount = 0;

  constructor(options: AuditVerifyOptions = {}) {
    this.expectHead = options.expectHead?.trim().toLowerCase();
  }

  addEntry(entry: AuditEntry): void {
    this.chain.add(entry);
    this.replay.addEntry(entry);
    this.head = { sequence: entry.sequence, hash: entry.hash };
    if (this.expectHead !== undefined && this.expectedAt === undefined && entry.hash === this.expectHead) this.expectedAt = entry.sequence;
  }

  addIntake(record: IntakeRecord, columns: StoredIntakeColumns = {}): void {
    this.intakes += 1;
    this.report(this.replay.check(record, columns));
  }

  /** Feed every stored obligation item, after the entries. */
  addObligationItem(item: ObligationItem): void {
    this.items += 1;
    this.report(this.replay.checkItem(item));
  }

  result(): AuditVerification {
    this.report(this.replay.missing());
    const chain = this.chain.result();
    // The genesis hash is the head of an empty trail, so any trail continues from it.
    const found = this.expectedAt !== undefined || this.expectHead === genesisHash;
    const expectedHead =
      this.expectHead === undefined ? undefined : { hash: this.expectHead, found, ...(this.expectedAt === undefined ? {} : { sequence: this.expectedAt }) };
    return {
      ...chain,
      ok: chain.ok && this.driftCount === 0 && (expectedHead?.found ?? true),
      ...(this.head === undefined ? {} : { head: this.head }),
      intakes: this.intakes,
      obligationItems: this.items,
      drift: this.drift,
      driftCount: this.driftCount,
      ...(expectedHead === undefined ? {} : { expectedHead }),
    };
  }

  private report(drift: IntakeDrift[]): void {
    this.driftCount += drift.length;
    for (const item of drift) if (this.drift.length < maximumReportedDrift) this.drift.push(item);
  }
}

/** Walks the whole trail page by page (`readPage` returns entries after a sequence, ascending). */
export async function verifyAuditChain(readPage: (afterSequence: number, limit: number) => Promise<AuditEntry[]>, pageSize = 1000): Promise<AuditChainResult> {
  const verifier = new AuditChainVerifier();
  let after = 0;
  for (;;) {
    const page = await readPage(after, pageSize);
    for (const entry of page) verifier.add(entry);
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return verifier.result();
    after = last.sequence;
  }
}
