import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';

describe('scripts/build-embedder.mjs', () => {
  it('leaves a valid embedder file alone, and that file matches its header checksum', () => {
    // npm install runs the script (postinstall), so the file exists in any installed checkout.
    expect(existsSync('models/glove-100d-int8.bin')).toBe(true);
    const output = execFileSync(process.execPath, ['scripts/build-embedder.mjs'], { encoding: 'utf8' });
    expect(output).toContain('present and valid; nothing to do');
    const file = readFileSync('models/glove-100d-int8.bin');
    expect(file.toString('latin1', 0, 4)).toBe('SHGV');
    expect(file.readUInt32LE(8)).toBe(100);
    expect(file.readUInt32LE(12)).toBeGreaterThan(300_000);
    expect(createHash('sha256').update(file.subarray(64)).digest().equals(file.subarray(20, 52))).toBe(true);
  });
});
