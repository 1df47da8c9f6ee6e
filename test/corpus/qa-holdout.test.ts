// Consistency checks for the held-out Q&A set (evals/qa-holdout.jsonl), which is kept apart from the
// gold set and used only to check that tuning on the gold set carries over to unseen questions.
// Validates the schema, the minimum mix of question types and languages, and that every expected
// section exists in the corpus and contains the fact strings a correct answer must state. Parses the
// corpus itself (gray-matter + a heading scan) so it does not depend on the ingester.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const corpusDir = fileURLToPath(new URL('../../corpus/', import.meta.url));
const holdoutFile = fileURLToPath(new URL('../../evals/qa-holdout.jsonl', import.meta.url));
const pathSeparator = ' › ';

/** One citation section: its heading path and the text under it (subsections included for `##`). */
interface SectionText {
  path: string;
  text: string;
}

/**
 * Splits a Markdown body into `##` and `###` sections. A section's text runs from its heading to the
 * next heading of the same or a higher level, so a `##` section includes its `###` subsections.
 * Headings inside fenced code blocks are ignored.
 */
function scanSectionTexts(body: string): SectionText[] {
  interface OpenSection {
    path: string;
    level: number;
    lines: string[];
  }
  const done: SectionText[] = [];
  const open: OpenSection[] = [];
  let level2 = '';
  let inFence = false;
  const close = (section: OpenSection): void => {
    done.push({ path: section.path, text: section.lines.join(' ').replace(/\s+/g, ' ').trim() });
  };
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{2,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading && heading[1] !== undefined && heading[2] !== undefined) {
      const level = heading[1].length;
      const title = heading[2];
      while (open.length > 0 && (open[open.length - 1]?.level ?? 0) >= level) {
        const section = open.pop();
        if (section) close(section);
      }
      let path: string;
      if (level === 2) {
        level2 = title;
        path = title;
      } else {
        path = level2 ? level2 + pathSeparator + title : title;
      }
      for (const section of open) section.lines.push(line);
      open.push({ path, level, lines: [title] });
    } else {
      for (const section of open) section.lines.push(line);
    }
  }
  while (open.length > 0) {
    const section = open.pop();
    if (section) close(section);
  }
  return done;
}

function loadCorpusSections(): Map<string, Map<string, string>> {
  const corpus = new Map<string, Map<string, string>>();
  for (const file of readdirSync(corpusDir).filter((name) => name.endsWith('.md'))) {
    const parsed = matter(readFileSync(corpusDir + file, 'utf8'));
    corpus.set(file, new Map(scanSectionTexts(parsed.content).map((section) => [section.path, section.text])));
  }
  return corpus;
}

const expectationSchema = z.object({ source: z.string().min(1), section: z.string().min(1) }).strict();

const holdoutLineSchema = z
  .object({
    id: z.string().regex(/^h\d{3}$/),
    question: z.string().min(8),
    language: z.enum(['en', 'ja']),
    type: z.enum(['paraphrase', 'direct', 'multi_passage', 'unanswerable']),
    expected: z.array(expectationSchema),
    facts: z.array(z.string().min(1)),
    /** `chat`: written the way people type in chat (informal, situational, abbreviations, typos). */
    style: z.literal('chat').optional(),
  })
  .strict();

type HoldoutItem = z.infer<typeof holdoutLineSchema>;

function readLines(): string[] {
  return readFileSync(holdoutFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

function loadItems(): HoldoutItem[] {
  return readLines().map((line) => holdoutLineSchema.parse(JSON.parse(line)));
}

describe('section scanner', () => {
  it('gives a ## section the text of its ### subsections and stops at the next ## heading', () => {
    const sections = scanSectionTexts(
      ['## A', 'alpha', '### B', 'beta', '## C', 'gamma', '```', '## not a heading', '```'].join('\n'),
    );
    const byPath = new Map(sections.map((section) => [section.path, section.text]));
    expect(byPath.get('A')).toContain('alpha');
    expect(byPath.get('A')).toContain('beta');
    expect(byPath.get('A')).not.toContain('gamma');
    expect(byPath.get('A › B')).toBe('B beta');
    expect(byPath.get('C')).toContain('## not a heading');
    expect(byPath.has('not a heading')).toBe(false);
  });
});

describe('held-out Q&A set (evals/qa-holdout.jsonl)', () => {
  const corpus = loadCorpusSections();

  it('has one valid JSON object per line', () => {
    const lines = readLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const [index, line] of lines.entries()) {
      const parsed: unknown = JSON.parse(line);
      const result = holdoutLineSchema.safeParse(parsed);
      expect(result.success, `line ${index + 1}: ${result.success ? '' : result.error.message}`).toBe(true);
    }
  });

  it('has unique ids and unique questions', () => {
    const items = loadItems();
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
    expect(new Set(items.map((item) => item.question.trim().toLowerCase())).size).toBe(items.length);
  });

  it('meets the minimum counts by type and language', () => {
    const items = loadItems();
    const count = (predicate: (item: HoldoutItem) => boolean): number => items.filter(predicate).length;
    expect(items.length).toBeGreaterThanOrEqual(60);
    expect(count((item) => item.type === 'paraphrase')).toBeGreaterThanOrEqual(30);
    expect(count((item) => item.type === 'direct')).toBeGreaterThanOrEqual(8);
    expect(count((item) => item.type === 'multi_passage')).toBeGreaterThanOrEqual(8);
    expect(count((item) => item.type === 'unanswerable')).toBeGreaterThanOrEqual(12);
    expect(count((item) => item.language === 'ja')).toBeGreaterThanOrEqual(8);
  });

  it('marks Japanese questions as ja and English questions as en', () => {
    for (const item of loadItems()) {
      const hasJapanese = /[\u3040-\u30ff\u4e00-\u9fff]/.test(item.question);
      expect(hasJapanese, `${item.id} language`).toBe(item.language === 'ja');
    }
  });

  it('spreads answerable questions across every corpus document', () => {
    const cited = new Set(loadItems().flatMap((item) => item.expected.map((expectation) => expectation.source)));
    for (const file of corpus.keys()) expect(cited.has(file), `no question cites ${file}`).toBe(true);
  });

  it('gives unanswerable items no expected sections and no facts', () => {
    for (const item of loadItems().filter((entry) => entry.type === 'unanswerable')) {
      expect(item.expected, item.id).toEqual([]);
      expect(item.facts, item.id).toEqual([]);
    }
  });

  it('gives answerable items the right number of sections and one or two facts', () => {
    for (const item of loadItems().filter((entry) => entry.type !== 'unanswerable')) {
      if (item.type === 'multi_passage') {
        expect(item.expected.length, `${item.id} sections`).toBe(2);
      } else {
        expect(item.expected.length, `${item.id} sections`).toBe(1);
      }
      expect(item.facts.length, `${item.id} facts`).toBeGreaterThanOrEqual(1);
      expect(item.facts.length, `${item.id} facts`).toBeLessThanOrEqual(2);
      const keys = item.expected.map((expectation) => `${expectation.source}#${expectation.section}`);
      expect(new Set(keys).size, `${item.id} duplicate sections`).toBe(keys.length);
    }
  });

  it('cites only corpus files and section paths that exist', () => {
    for (const item of loadItems()) {
      for (const expectation of item.expected) {
        const sections = corpus.get(expectation.source);
        expect(sections, `${item.id}: no corpus file ${expectation.source}`).toBeDefined();
        expect(sections?.has(expectation.section), `${item.id}: no section "${expectation.section}" in ${expectation.source}`).toBe(
          true,
        );
      }
    }
  });

  it('finds every fact in the expected section text, and a fact in each section of a multi-passage item', () => {
    for (const item of loadItems().filter((entry) => entry.type !== 'unanswerable')) {
      const texts = item.expected.map((expectation) =>
        (corpus.get(expectation.source)?.get(expectation.section) ?? '').toLowerCase(),
      );
      for (const fact of item.facts) {
        const needle = fact.replace(/\s+/g, ' ').trim().toLowerCase();
        expect(
          texts.some((text) => text.includes(needle)),
          `${item.id}: fact "${fact}" not in its expected section(s)`,
        ).toBe(true);
      }
      if (item.type === 'multi_passage') {
        for (const [index, text] of texts.entries()) {
          const covered = item.facts.some((fact) => text.includes(fact.replace(/\s+/g, ' ').trim().toLowerCase()));
          expect(covered, `${item.id}: no fact from "${item.expected[index]?.section}"`).toBe(true);
        }
      }
    }
  });
});
