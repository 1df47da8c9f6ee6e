// The audit trail's hash chain, shared by every store: canonical JSON, the hash of one entry, and
// the walk that finds the first broken link. Stores only decide how entries are persisted.
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditEntryInput, AuditVerification } from '../../ports/intake-store.js';

/** The `previousHash` of the very first entry. */
export const genesisHash = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and no whitespace, so the same value always gives
 * the same text whatever the key order it was built or stored with (JSONB reorders keys).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item);
    }
    return sorted;
  }
  return value;
}

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

  result(): AuditVerification {
    if (this.broken === undefined) return { ok: true, entries: this.count };
    return { ok: false, entries: this.count, firstBrokenSequence: this.broken.sequence, reason: this.broken.reason };
  }
}

/** Walks the whole trail page by page (`readPage` returns entries after a sequence, ascending). */
export async function verifyAuditChain(readPage: (afterSequence: number, limit: number) => Promise<AuditEntry[]>, pageSize = 1000): Promise<AuditVerification> {
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
