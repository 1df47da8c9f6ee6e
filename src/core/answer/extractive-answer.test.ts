import { describe, expect, it } from 'vitest';
import type { ScoredPassage } from '../../ports/passage.js';
import { makePassage } from '../../../test/helpers/fake-retriever.js';
import type { Passage } from '../../ports/passage.js';
import { answerTypePattern, bestQuote, chunkOverlap, chunkRuns, defaultSentenceWeights, extractiveAnswer, isDangling } from './extractive-answer.js';
import type { SectionCatalog } from './section-context.js';
import { splitSentences } from './text-terms.js';

const transparency = makePassage({
  source: 'eu-ai-act-transparency-obligations.md',
  title: 'EU AI Act — transparency obligations',
  section: 'Article 50 › Deepfakes',
  url: 'https://example.org/art50',
  text:
    'Article 50 sets transparency duties for certain AI systems. Deployers of an AI system that generates or manipulates image, audio or video content constituting a deepfake shall disclose that the content has been artificially generated or manipulated. ' +
    'Artistic or satirical works only need a disclosure that does not hamper the display of the work. The obligations apply from 2 August 2026.',
});
const logging = makePassage({
  source: 'eu-ai-act-high-risk-requirements.md',
  title: 'EU AI Act — high-risk requirements',
  section: 'Article 12 › Record-keeping',
  text: 'High-risk AI systems shall technically allow for the automatic recording of events (logs) over the lifetime of the system. Logs help identify risks and support post-market monitoring.',
});
const penalties = makePassage({
  source: 'eu-ai-act-penalties.md',
  section: 'Article 99',
  text: 'Non-compliance with the prohibition of AI practices is subject to fines of up to EUR 35 000 000 or 7 % of worldwide annual turnover.',
});
const japanese = makePassage({
  source: 'ai-guidelines-for-business.md',
  section: '第2部 › 共通の指針',
  language: 'ja',
  text: 'AI事業者は、人間中心の考え方に基づき行動する。ディープフェイクなどの生成物については、AIによって生成されたものであることを明示することが望ましい。事業者は透明性を確保する。',
});

const scored = (...items: Array<[ReturnType<typeof makePassage>, number]>): ScoredPassage[] => items.map(([passage, score]) => ({ passage, score }));

describe('extractiveAnswer', () => {
  it('answers with the best-matching sentence and a numbered citation carrying a verbatim quote', () => {
    const result = extractiveAnswer('Do deployers have to disclose deepfakes?', scored([transparency, 0.9], [logging, 0.5]));
    expect(result.answer).toContain('shall disclose that the content has been artificially generated or manipulated [1].');
    expect(result.citations[0]).toMatchObject({ n: 1, source: 'eu-ai-act-transparency-obligations.md', section: 'Article 50 › Deepfakes', url: 'https://example.org/art50', score: 0.9 });
    for (const citation of result.citations) {
      const passage = [transparency, logging, penalties].find((item) => item.source === citation.source);
      expect(passage?.text).toContain(citation.quote);
      expect(citation.quote.length).toBeLessThanOrEqual(600);
    }
    const markers = [...result.answer.matchAll(/\[(\d+)\]/gu)].map((match) => Number(match[1]));
    expect(new Set(markers)).toEqual(new Set(result.citations.map((citation) => citation.n)));
  });

  it('stays within about 120 words and at most three passages', () => {
    const many = Array.from({ length: 6 }, (_, index) =>
      makePassage({ source: `doc-${index}.md`, section: 'S', text: `Risk management for high-risk AI systems is a continuous process number ${index}. It runs through the lifecycle of the system ${index}.` }, index),
    );
    const result = extractiveAnswer('What is risk management for high-risk AI systems?', many.map((passage) => ({ passage, score: 0.8 })));
    expect(result.citations.length).toBeLessThanOrEqual(3);
    expect(result.answer.split(/\s+/u).length).toBeLessThanOrEqual(135);
    expect(result.citations.map((citation) => citation.n)).toEqual(result.citations.map((_, index) => index + 1));
  });

  it('does not repeat near-identical sentences', () => {
    const copy = makePassage({ ...logging, source: 'copy.md' }, 1);
    const result = extractiveAnswer('Do high-risk AI systems need automatic recording of events?', scored([logging, 0.9], [copy, 0.88]));
    expect(result.answer.match(/automatic recording of events/gu)?.length).toBe(1);
  });

  it('splits Japanese on 。 and prefers a passage in the question language when scores are close', () => {
    const result = extractiveAnswer('ディープフェイクの生成物には何を明示する必要がありますか？', scored([transparency, 0.82], [japanese, 0.8]));
    expect(result.citations[0]?.source).toBe('ai-guidelines-for-business.md');
    expect(result.answer).toContain('AIによって生成されたものであることを明示することが望ましい[1]。');
  });

  it('returns nothing for no passages', () => {
    expect(extractiveAnswer('anything', [])).toEqual({ answer: '', citations: [] });
  });

  it('uses dense similarity when given', () => {
    const text = 'Alpha beta gamma delta epsilon zeta. Omega sigma tau upsilon phi chi.';
    const passage = makePassage({ source: 'x.md', section: 'S', text });
    const dense = new Map([
      ['Alpha beta gamma delta epsilon zeta.', 0],
      ['Omega sigma tau upsilon phi chi.', 1],
    ]);
    const result = extractiveAnswer('unrelated words here', [{ passage, score: 0.9 }], { denseSimilarity: dense });
    expect(result.answer.startsWith('Omega')).toBe(true);
  });
});

describe('answer types', () => {
  it('expects dates, durations and amounts from when, how long and how much questions', () => {
    expect(answerTypePattern('When does Article 50 apply?')?.test('It applies from 2 August 2026.')).toBe(true);
    expect(answerTypePattern('How long must logs be kept?')?.test('Deployers keep logs for at least six months.')).toBe(true);
    expect(answerTypePattern('How much is the fine?')?.test('Fines reach EUR 35 million or 7 % of turnover.')).toBe(true);
    expect(answerTypePattern('罰金はいくらですか？')?.test('制裁金は最大3500万ユーロ、または7%')).toBe(true);
    expect(answerTypePattern('Is CV screening high-risk?')).toBeUndefined();
  });

  it('prefers the sentence holding the expected kind of answer', () => {
    const logs = makePassage({
      source: 'logs.md',
      section: 'Article 26',
      text: 'Deployers must keep the logs generated by a high-risk AI system under their control. The logs must be kept for at least six months unless other law says otherwise. Logs support monitoring.',
    });
    const question = 'How long do we keep the logs?';
    expect(extractiveAnswer(question, [{ passage: logs, score: 0.9 }], { maxWords: 20 }).answer).toContain('six months');
    const withoutType = { ...defaultSentenceWeights, answerType: 0 };
    expect(extractiveAnswer(question, [{ passage: logs, score: 0.9 }], { maxWords: 20, weights: withoutType }).answer).not.toContain('six months');
  });
});

describe('quotes', () => {
  it('quote the whole passage when it fits in 600 characters', () => {
    const result = extractiveAnswer('Do deployers have to disclose deepfakes?', scored([transparency, 0.9]));
    expect(result.citations[0]?.quote).toBe(transparency.text.trim());
  });

  it('quote the used sentence with the neighbours that add most of the question, within 600 characters', () => {
    const filler = 'Filler sentence about something unrelated to anything in particular, repeated to make the passage long. '.repeat(4);
    const text =
      `${filler}The penalty regime is set out in Article 99 of the Act. ` +
      `Fines for prohibited practices reach EUR 35 million or 7 % of turnover. Member States lay down the detailed rules. ${filler}Another unrelated filler sentence closes it.`;
    const passage = makePassage({ source: 'p.md', section: 'Article 99', text });
    const result = extractiveAnswer('What is the penalty regime of Article 99 for prohibited practices fines?', [{ passage, score: 0.9 }], { maxWords: 15 });
    const quote = result.citations[0]?.quote ?? '';
    expect(text).toContain(quote);
    expect(text.length).toBeGreaterThan(600);
    expect(quote.length).toBeLessThanOrEqual(600);
    expect(quote).toContain('Fines for prohibited practices');
    expect(quote).toContain('Article 99 of the Act');
  });
});

describe('bestQuote', () => {
  it('quotes the passage sentence that best supports a generated sentence', () => {
    expect(bestQuote(transparency.text, 'Deepfakes must be disclosed as artificially generated [1].')).toContain('Deployers of an AI system that generates');
    expect(transparency.text).toContain(bestQuote(transparency.text, 'nothing shared at all'));
  });
});

describe('splitSentences', () => {
  it('keeps abbreviations and article references together and splits at 。 and line breaks', () => {
    expect(splitSentences('See Art. 5 for details, e.g. manipulation. Next sentence here.').map((span) => span.text)).toEqual([
      'See Art. 5 for details, e.g. manipulation.',
      'Next sentence here.',
    ]);
    expect(splitSentences('一つ目です。二つ目です。').map((span) => span.text)).toEqual(['一つ目です。', '二つ目です。']);
    expect(splitSentences('Heading\n- item one\n- item two').map((span) => span.text)).toEqual(['Heading', '- item one', '- item two']);
  });
});

describe('sentences that lean on their predecessor', () => {
  it('recognises dangling openings in English and Japanese', () => {
    expect(isDangling('In this respect it differs sharply from the EU AI Act.')).toBe(true);
    expect(isDangling('However, the Act has no fines.')).toBe(true);
    expect(isDangling('These uses are high-risk because they shape careers.')).toBe(true);
    expect(isDangling('その一方で、罰則はありません。')).toBe(true);
    expect(isDangling('The Guidelines impose no penalties.')).toBe(false);
    expect(isDangling('There are four conditions.')).toBe(false);
    expect(isDangling('It is prohibited to place such systems on the market.')).toBe(false);
  });

  it('prefer a self-standing sentence to one that depends on a sentence left out', () => {
    const passage = makePassage({
      source: 'jp.md',
      section: 'Penalties',
      text:
        'The Japanese guidelines are voluntary soft law. They were issued in December. ' +
        'In this respect they differ sharply from the EU AI Act, which has penalties. The Japanese guidelines impose no penalties on companies.',
    });
    const result = extractiveAnswer('Do the Japanese guidelines impose penalties?', [{ passage, score: 0.9 }], { maxWords: 12 });
    expect(result.answer.startsWith('The Japanese guidelines impose no penalties')).toBe(true);
  });
});

describe('section context', () => {
  const intro = makePassage({ source: 'annex.md', section: 'Area 8', text: 'Area 8 of the annex covers two kinds of use. Point (a) covers AI used by courts to research and interpret facts and law.' }, 4);
  const rest = makePassage({ source: 'annex.md', section: 'Area 8', text: 'Point (b) covers AI intended to influence the outcome of an election or referendum or voting behaviour.' }, 5);
  const other = makePassage({ source: 'annex.md', section: 'Area 7', text: 'Area 7 of the annex covers migration, asylum and border control.' }, 3);
  const catalog: SectionCatalog = {
    findSection: (source: string, section: string): Passage[] => [intro, rest, other].filter((passage) => passage.source === source && passage.section === section),
  };

  it('draws on the other chunks of a retrieved section and cites the chunk each sentence comes from', () => {
    const question = 'What does area 8 of the annex cover?';
    const without = extractiveAnswer(question, scored([intro, 0.9], [other, 0.5]));
    expect(without.answer).not.toContain('referendum');
    const withContext = extractiveAnswer(question, scored([intro, 0.9], [other, 0.5]), { sectionCatalog: catalog });
    expect(withContext.answer).toContain('Point (b) covers AI intended to influence the outcome of an election or referendum');
    const cited = withContext.citations.find((citation) => citation.quote.includes('referendum'));
    expect(cited?.section).toBe('Area 8');
    expect(rest.text).toContain(cited?.quote);
  });
});

describe('chunk runs', () => {
  // One section cut by the splitter inside a long sentence, with the usual overlap between chunks.
  const sentence =
    'Its minimum content is set out in Annex IV: a general description of the system; the design specifications and the data requirements; the monitoring, functioning and control of the system; and the risk management system under Article 9.';
  const cut = sentence.indexOf('the monitoring');
  const first = makePassage({ source: 'requirements.md', section: 'Article 11', text: `The provider draws up the technical documentation before market entry. ${sentence.slice(0, cut).trim()}` }, 4);
  const second = makePassage({ source: 'requirements.md', section: 'Article 11', text: `and the data requirements; ${sentence.slice(cut)} It is kept for ten years.` }, 5);

  it('finds the overlap the splitter repeated, and none between unrelated texts', () => {
    expect(chunkOverlap(first.text, second.text)).toBe('and the data requirements; '.trim().length);
    expect(chunkOverlap('The cycle ends here.', 'Another text starts.')).toBe(0);
    // A shared ending that is not at a word boundary is not an overlap.
    expect(chunkOverlap('contains the word reassessment', 'assessment of risks')).toBe(0);
  });

  it('joins consecutive chunks of a section so a cut sentence reads whole, and keeps other sections apart', () => {
    const runs = chunkRuns(scored([second, 0.5], [first, 0.9], [logging, 0.4]));
    expect(runs).toHaveLength(2);
    expect(runs[0]?.text).toContain(sentence);
    expect(runs[0]?.members).toEqual([1, 0]);
    expect(runs[1]?.text).toBe(logging.text);
  });

  it('answers with the whole sentence and quotes only text that is in one passage', () => {
    const result = extractiveAnswer('What goes into the technical documentation, Annex IV content and risk management?', scored([first, 0.9], [second, 0.8]));
    expect(result.answer).toContain('and the risk management system under Article 9');
    expect(result.answer).not.toMatch(/(?:^|\] )and the data requirements/u);
    for (const citation of result.citations) expect([first.text, second.text].some((text) => text.includes(citation.quote))).toBe(true);
  });
});
