// Consistency checks for the starter corpus and the Q&A gold set: front matter of every corpus
// document, the section headings that risk rules and evaluations cite, and every gold question's
// expected sections and fact strings. Parses the corpus itself (gray-matter + a heading scan) so it
// does not depend on the ingester.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const corpusDir = fileURLToPath(new URL('../../corpus/', import.meta.url));
const goldFile = fileURLToPath(new URL('../../evals/qa-gold.jsonl', import.meta.url));
const pathSeparator = ' › ';

interface CorpusSection {
  /** Heading path, `##` heading then `###` heading joined by ' › '. */
  path: string;
  /** Heading line plus the text up to the next heading, whitespace collapsed. */
  text: string;
}

interface CorpusDocument {
  file: string;
  data: Record<string, unknown>;
  sections: CorpusSection[];
}

/** Splits a Markdown body into `##` / `###` sections, ignoring headings inside fenced code. */
function scanSections(body: string): CorpusSection[] {
  const sections: CorpusSection[] = [];
  let current: { path: string; lines: string[] } | undefined;
  let level2 = '';
  let inFence = false;
  const flush = (): void => {
    if (current) sections.push({ path: current.path, text: current.lines.join(' ').replace(/\s+/g, ' ').trim() });
  };
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{2,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading && heading[1] !== undefined && heading[2] !== undefined) {
      flush();
      const title = heading[2];
      let path: string;
      if (heading[1] === '##') {
        level2 = title;
        path = title;
      } else {
        path = level2 ? level2 + pathSeparator + title : title;
      }
      current = { path, lines: [title] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  flush();
  return sections;
}

function loadCorpus(): CorpusDocument[] {
  return readdirSync(corpusDir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => {
      const parsed = matter(readFileSync(corpusDir + file, 'utf8'));
      return { file, data: parsed.data as Record<string, unknown>, sections: scanSections(parsed.content) };
    });
}

const frontMatterSchema = z.object({
  title: z.string().min(1),
  source_url: z.string().regex(/^(https:\/\/|internal:\/\/)\S+$/),
  publisher: z.string().min(1),
  published: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]),
  jurisdiction: z.enum(['JP', 'EU', 'US', 'international', 'internal']),
  kind: z.enum(['law', 'guideline', 'standard', 'framework', 'policy', 'summary', 'plan']),
  framework: z.string().regex(/^[a-z0-9-]+$/).optional(),
  language: z.enum(['en', 'ja']).optional(),
});

const goldLineSchema = z.object({
  id: z.string().regex(/^q\d{3,}$/),
  question: z.string().min(5),
  language: z.enum(['en', 'ja']),
  type: z.enum(['paraphrase', 'direct', 'multi_passage', 'unanswerable']),
  expected: z.array(z.object({ source: z.string().min(1), section: z.string().min(1) })),
  facts: z.array(z.string().min(1)),
});
type GoldLine = z.infer<typeof goldLineSchema>;

function loadGold(): GoldLine[] {
  return readFileSync(goldFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const result = goldLineSchema.safeParse(JSON.parse(line));
      if (!result.success) throw new Error(`qa-gold.jsonl line ${index + 1}: ${result.error.message}`);
      return result.data;
    });
}

const corpus = loadCorpus();
const byFile = new Map(corpus.map((document) => [document.file, document]));
const gold = loadGold();

/** Headings that the risk rules and other components cite; renaming one breaks them. */
const requiredHeadings: Record<string, string[]> = {
  'eu-ai-act-prohibited-practices.md': [
    'Article 5(1)(a) — Subliminal, manipulative or deceptive techniques',
    'Article 5(1)(b) — Exploiting vulnerabilities',
    'Article 5(1)(c) — Social scoring',
    'Article 5(1)(d) — Predicting crime from profiling',
    'Article 5(1)(e) — Untargeted scraping of facial images',
    'Article 5(1)(f) — Emotion recognition at work and in education',
    'Article 5(1)(g) — Biometric categorisation by sensitive traits',
    'Article 5(1)(h) — Real-time remote biometric identification in public spaces',
  ],
  'eu-ai-act-high-risk-classification.md': [
    'Article 6(1) — Safety components of regulated products',
    'Annex III area 1 — Biometrics',
    'Annex III area 2 — Critical infrastructure',
    'Annex III area 3 — Education and vocational training',
    "Annex III area 4 — Employment and workers' management",
    'Annex III area 5 — Access to essential private and public services',
    'Annex III area 6 — Law enforcement',
    'Annex III area 7 — Migration, asylum and border control',
    'Annex III area 8 — Administration of justice and democratic processes',
    'Article 6(3) — When an Annex III system is not high-risk',
  ],
  'eu-ai-act-high-risk-requirements.md': [
    'Article 9 — Risk management system',
    'Article 10 — Data and data governance',
    'Article 11 — Technical documentation',
    'Article 12 — Record-keeping',
    'Article 13 — Transparency and information to deployers',
    'Article 14 — Human oversight',
    'Article 15 — Accuracy, robustness and cybersecurity',
    'Article 17 — Quality management system',
    'Article 26 — Obligations of deployers',
    'Article 27 — Fundamental rights impact assessment',
  ],
  'eu-ai-act-transparency-obligations.md': [
    'Article 50(1) — Telling people they are interacting with AI',
    'Article 50(2) — Marking synthetic content',
    'Article 50(3) — Emotion recognition and biometric categorisation notices',
    'Article 50(4) — Deepfakes and AI-generated text on public-interest matters',
    'Article 50(5) — Timing and form of the information',
  ],
  'internal-ai-policy-sample.md': [
    'Purpose and scope',
    'Acceptable use',
    'Approved AI tools',
    'Data handling and confidentiality',
    'Transparency and labelling of AI output',
    'Risk tiers',
    'Submitting an AI use case for review',
    'Governance team and contacts',
    'Obligations by tier',
    'Incidents and escalation',
    'Review and update of this policy',
  ],
};

describe('starter corpus', () => {
  it('holds Markdown documents with sections', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(15);
    for (const document of corpus) expect(document.sections.length, document.file).toBeGreaterThan(0);
  });

  it.each(corpus.map((document) => [document.file, document] as const))(
    '%s has complete front matter',
    (_file, document) => {
      const result = frontMatterSchema.safeParse(document.data);
      expect(result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'))).toEqual([]);
    },
  );

  it('has unique heading paths within each document', () => {
    for (const document of corpus) {
      const paths = document.sections.map((section) => section.path);
      expect(paths.filter((path, index) => paths.indexOf(path) !== index), document.file).toEqual([]);
    }
  });

  it('keeps the headings that rules and evaluations cite', () => {
    for (const [file, headings] of Object.entries(requiredHeadings)) {
      const document = byFile.get(file);
      expect(document, file).toBeDefined();
      const paths = new Set(document?.sections.map((section) => section.path));
      expect(headings.filter((heading) => !paths.has(heading)), file).toEqual([]);
    }
  });
});

describe('Q&A gold set (evals/qa-gold.jsonl)', () => {
  it('has unique ids', () => {
    const ids = gold.map((line) => line.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('meets the minimum mix of question types and languages', () => {
    const count = (predicate: (line: GoldLine) => boolean): number => gold.filter(predicate).length;
    expect(gold.length).toBeGreaterThanOrEqual(100);
    expect(count((line) => line.type === 'paraphrase')).toBeGreaterThanOrEqual(40);
    expect(count((line) => line.type === 'direct')).toBeGreaterThanOrEqual(15);
    expect(count((line) => line.type === 'multi_passage')).toBeGreaterThanOrEqual(12);
    expect(count((line) => line.type === 'unanswerable')).toBeGreaterThanOrEqual(20);
    expect(count((line) => line.language === 'ja')).toBeGreaterThanOrEqual(12);
  });

  it('gives unanswerable questions no expected passages or facts, and the others at least one of each', () => {
    const problems: string[] = [];
    for (const line of gold) {
      if (line.type === 'unanswerable') {
        if (line.expected.length > 0 || line.facts.length > 0) problems.push(`${line.id}: unanswerable with expectations`);
      } else {
        if (line.expected.length === 0) problems.push(`${line.id}: no expected section`);
        if (line.facts.length === 0) problems.push(`${line.id}: no facts`);
        if (line.type === 'multi_passage' && line.expected.length < 2) problems.push(`${line.id}: multi_passage needs two sections`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('points every expected section at a real document and heading path', () => {
    const problems: string[] = [];
    for (const line of gold) {
      for (const expected of line.expected) {
        const document = byFile.get(expected.source);
        if (!document) problems.push(`${line.id}: no corpus file ${expected.source}`);
        else if (!document.sections.some((section) => section.path === expected.section)) {
          problems.push(`${line.id}: no section "${expected.section}" in ${expected.source}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('finds every fact string in the expected sections (case-insensitive)', () => {
    const problems: string[] = [];
    for (const line of gold) {
      const texts = line.expected.map((expected) =>
        (byFile.get(expected.source)?.sections.find((section) => section.path === expected.section)?.text ?? '').toLowerCase(),
      );
      for (const fact of line.facts) {
        if (!texts.some((text) => text.includes(fact.toLowerCase()))) problems.push(`${line.id}: fact "${fact}" not found`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('does not word paraphrased questions by copying the heading', () => {
    const copies = gold.filter(
      (line) =>
        line.type === 'paraphrase' &&
        line.expected.some((expected) => line.question.toLowerCase().includes(expected.section.toLowerCase())),
    );
    expect(copies.map((line) => line.id)).toEqual([]);
  });
});
