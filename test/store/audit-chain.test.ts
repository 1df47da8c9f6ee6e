// The hash chain on its own: canonical JSON, entry hashes, and the paged verification walk.
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/ports/intake-store.js';
import { canonicalJson, chainAuditEntry, genesisHash, hashAuditEntry, verifyAuditChain } from '../../src/providers/store/audit-chain.js';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let index = 0; index < length; index += 1) {
    entries.push(chainAuditEntry({ action: 'system.note', actor: { channel: 'system', id: 'test' }, details: { index } }, entries.at(-1), `2026-11-25T09:00:0${index}.000Z`));
  }
  return entries;
}

const pages = (entries: AuditEntry[]) => async (after: number, limit: number) => entries.filter((entry) => entry.sequence > after).slice(0, limit);

describe('audit chain', () => {
  it('writes canonical JSON whatever the key order, dropping undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"x":2,"y":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('links each entry to the one before and hashes every field', () => {
    const [first, second] = chain(2);
    expect(first?.previousHash).toBe(genesisHash);
    expect(second?.previousHash).toBe(first?.hash);
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/);
    if (first === undefined) throw new Error('no entry');
    for (const change of [{ at: 'x' }, { action: 'x' }, { actor: { channel: 'web' as const, id: 'x' } }, { intakeId: 'AI-X' }, { details: { index: 9 } }, { sequence: 7 }]) {
      expect(hashAuditEntry({ ...first, ...change })).not.toBe(first.hash);
    }
  });

  it('verifies across pages and reports the first broken entry with the full count', async () => {
    const entries = chain(7);
    expect(await verifyAuditChain(pages(entries), 2)).toEqual({ ok: true, entries: 7 });
    const tampered = entries.map((entry) => (entry.sequence === 5 ? { ...entry, details: { index: 99 } } : entry));
    expect(await verifyAuditChain(pages(tampered), 2)).toMatchObject({ ok: false, entries: 7, firstBrokenSequence: 5 });
    const reordered = [entries[0], entries[2], entries[1]].filter((entry): entry is AuditEntry => entry !== undefined);
    expect(await verifyAuditChain(async (after) => (after === 0 ? reordered : []), 10)).toMatchObject({ ok: false, firstBrokenSequence: 3 });
  });
});
