// Every citation in the rules and text-signals files must resolve to a real corpus passage: first
// against the corpus headings, then against the real corpus index.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createClassifier, loadRules } from '../../src/core/intake/classifier.js';
import { silentLogger } from '../../src/logger.js';
import { createEmbedder } from '../../src/providers/embeddings/create-embedder.js';
import { CorpusIndex } from '../../src/providers/index/corpus-index.js';
import { corpusDirectory, createHeadingCatalog } from './heading-catalog.js';
import { intake } from './fixtures.js';

const rules = loadRules(path.resolve('rules/risk-rules.yaml'));

describe('rule citations against the corpus', () => {
  const catalog = createHeadingCatalog();

  it('every rule, obligation and signal citation resolves to a passage, with a verbatim quote', async () => {
    const classifier = createClassifier({ rules, catalog, logger: silentLogger() });
    expect(() => classifier.validateCitations()).not.toThrow();
    const result = await classifier.classify(intake({ domains: ['employment'], regions: ['EU', 'JP'], interactsWithPeople: true }));
    for (const citation of [...result.reasons, ...result.obligations].flatMap((item) => item.citations)) {
      const passage = catalog.findSection(citation.source, citation.section)[0];
      expect(passage, `${citation.source} › ${citation.section}`).toBeDefined();
      expect(passage?.text.replace(/\s+/g, ' ')).toContain(citation.quote.replace(/…$/, ''));
      expect(citation.title).toBeTruthy();
    }
  });

  it('each prohibited rule cites its own Art. 5 point and each Annex III rule its own area', () => {
    for (const rule of rules.rules.filter((candidate) => candidate.id.startsWith('prohibited.'))) {
      expect(rule.cites[0]?.source).toBe('eu-ai-act-prohibited-practices.md');
      expect(rule.cites[0]?.section).toMatch(/^Article 5\(1\)\([a-h]\) — /);
    }
    const points = rules.rules.filter((rule) => rule.id.startsWith('prohibited.')).map((rule) => rule.cites[0]?.section.slice(0, 16));
    expect(new Set(points).size).toBe(8);
    const areas = rules.rules.filter((rule) => rule.id.startsWith('high.annex_iii.')).map((rule) => rule.cites[0]?.section);
    expect(areas.map((section) => section?.slice(0, 16)).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((area) => `Annex III area ${area}`));
  });

  it('a catalog without one cited section stops the classifier, naming the rule and the section', () => {
    const gap = {
      findSection: (source: string, section: string) =>
        section === "Annex III area 4 — Employment and workers' management" ? [] : catalog.findSection(source, section),
      size: () => catalog.size(),
    };
    expect(() => createClassifier({ rules, catalog: gap, logger: silentLogger() })).toThrow(
      /Rule "high\.annex_iii\.employment" cites section "Annex III area 4 — Employment and workers' management" of eu-ai-act-high-risk-classification\.md/,
    );
  });
});

describe('rule citations against the real corpus index', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shishin-rules-index-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('resolves every citation and quotes the indexed passage', async () => {
    const embedder = await createEmbedder(loadConfig({}, { EMBEDDINGS: 'local' }));
    const index = await CorpusIndex.open({ dataDir, corpusDir: corpusDirectory, embedder, autoIngest: true });
    const classifier = createClassifier({ rules, catalog: index, retriever: index, logger: silentLogger() });
    expect(() => classifier.validateCitations()).not.toThrow();
    const result = await classifier.classify(intake({ practices: ['social_scoring'] }));
    const citation = result.reasons[0]?.citations[0];
    expect(citation?.section).toBe('Article 5(1)(c) — Social scoring');
    expect(citation?.url).toBe('https://artificialintelligenceact.eu/article/5/');
    const passages = index.findSection('eu-ai-act-prohibited-practices.md', 'Article 5(1)(c) — Social scoring');
    expect(passages.some((passage) => passage.text.replace(/\s+/g, ' ').includes(citation?.quote.replace(/…$/, '') ?? '∅'))).toBe(true);
  }, 120_000);
});
