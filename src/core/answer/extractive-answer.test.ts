// The offline answer composer, passage first: which section leads, how the lead span is completed so it
// stands alone, when a second part is added, the word cap, enumerations, quotes, and the sentence tools.
import { describe, expect, it } from 'vitest';
import type { Passage, ScoredPassage } from '../../ports/passage.js';
import { makePassage } from '../../../test/helpers/fake-retriever.js';
import {
  itemHead,
  announcesList,
  answerTypePattern,
  bestQuote,
  chunkOverlap,
  chunkRuns,
  enumerationUnits,
  extractiveAnswer,
  isDangling,
  isListItem,
  qualifiesPrevious,
} from './extractive-answer.js';
import type { SectionCatalog } from './section-context.js';
import { splitSentences, wordCount } from './text-terms.js';

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

const scored = (...items: Array<[Passage, number]>): ScoredPassage[] => items.map(([passage, score]) => ({ passage, score }));

/** The answer's words, without its [n] markers. */
const answerWords = (answer: string) => wordCount(answer.replace(/\s*\[\d+\]/gu, ''));
/** The pieces of an answer: each ends with one [n] marker. */
const pieces = (answer: string) => answer.match(/\[\d+\]/gu)?.length ?? 0;

/**
 * The completion rules (lead-in, antecedent, announced list, exception) are checked with a lead span
 * of one sentence, so whatever else the answer holds was brought by completion, not by span choice.
 */
const oneSentenceSpan = { maxSpanSentences: 1, minLeadWords: 0 };

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

  it('draws on at most `sections` ranked sections and numbers citations 1..m', () => {
    const many = Array.from({ length: 6 }, (_, index) =>
      makePassage({ source: `doc-${index}.md`, section: 'S', text: `Risk management for high-risk AI systems is a continuous process number ${index}. It runs through the lifecycle of the system ${index}.` }, index),
    );
    const result = extractiveAnswer('What is risk management for high-risk AI systems?', many.map((passage) => ({ passage, score: 0.8 })));
    expect(result.citations.length).toBeGreaterThan(0);
    expect(result.citations.length).toBeLessThanOrEqual(3);
    expect(answerWords(result.answer)).toBeLessThanOrEqual(120);
    expect(result.citations.map((citation) => citation.n)).toEqual(result.citations.map((_, index) => index + 1));
    const single = extractiveAnswer('What is risk management for high-risk AI systems?', many.map((passage) => ({ passage, score: 0.8 })), { settings: { sections: 1 } });
    expect(new Set(single.citations.map((citation) => citation.source))).toEqual(new Set(['doc-0.md']));
  });

  it('does not repeat near-identical sentences', () => {
    const copy = makePassage({ ...logging, source: 'copy.md' }, 1);
    const result = extractiveAnswer('Do high-risk AI systems need automatic recording of events?', scored([logging, 0.9], [copy, 0.88]));
    expect(result.answer.match(/automatic recording of events/gu)?.length).toBe(1);
  });

  it('splits Japanese on 。 and writes the marker before it, with no space between Japanese sentences', () => {
    const result = extractiveAnswer('ディープフェイクの生成物には何を明示する必要がありますか？', scored([japanese, 0.85], [transparency, 0.8]));
    expect(result.citations[0]?.source).toBe('ai-guidelines-for-business.md');
    expect(result.answer).toContain('AIによって生成されたものであることを明示することが望ましい[1]。');
    expect(result.answer).not.toMatch(/。 /u);
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

describe('the lead', () => {
  // The top-ranked section states the rule; a glossary entry ranked second repeats the question's words.
  const oversight = makePassage({
    source: 'deployer-guide.md',
    section: 'Human oversight',
    text: 'Deployers assign human oversight to people with the competence and authority to intervene. Oversight staff can stop the system at any time.',
  });
  const glossary = makePassage({ source: 'glossary.md', section: 'Glossary', text: 'Human oversight of high-risk AI systems by deployers means oversight by deployers of high-risk AI systems.' }, 1);
  const question = 'What does human oversight of high-risk AI systems by deployers mean?';

  it('comes from the top-ranked section even when a lower-ranked section shares more words with the question', () => {
    const result = extractiveAnswer(question, scored([oversight, 0.9], [glossary, 0.85]));
    expect(result.answer.startsWith('Deployers assign human oversight to people with the competence and authority to intervene [1].')).toBe(true);
    expect(result.citations[0]?.source).toBe('deployer-guide.md');
    // The rank decides, not the words: with the ranks swapped the glossary leads.
    const swapped = extractiveAnswer(question, scored([glossary, 0.9], [oversight, 0.85]));
    expect(swapped.answer.startsWith('Human oversight of high-risk AI systems by deployers means')).toBe(true);
    expect(swapped.citations[0]?.source).toBe('glossary.md');
  });
});

describe('completing the lead so it stands alone', () => {
  it('brings the lead-in of a chosen checklist item and leaves out the items in between', () => {
    const checklist = makePassage({
      source: 'policy.md',
      section: 'Approvals',
      text:
        'Each risk tier needs its own sign-off before a system goes live.\n' +
        'Minimal: record the use in the AI register.\n' +
        'Limited: tell users that they are interacting with an AI system.\n' +
        'High: obtain written approval from the governance board before launch.\n' +
        'Prohibited: do not build or buy the system.',
    });
    const result = extractiveAnswer('Whose written approval do we need before launch?', scored([checklist, 0.9]), { settings: oneSentenceSpan });
    expect(result.answer).toBe('Each risk tier needs its own sign-off before a system goes live [1]. High: obtain written approval from the governance board before launch [1].');
  });

  it('brings the lead-in of a "(c)" item from another chunk of the section, citing each chunk', () => {
    const leadIn = makePassage({ source: 'annex.md', section: 'Area 8', text: 'The annex covers the administration of justice and democratic processes.\n(a) AI used by a judicial authority to research and interpret facts and the law.' }, 5);
    const items = makePassage({ source: 'annex.md', section: 'Area 8', text: '(b) AI used to draft court rulings for judges.\n(c) AI intended to influence the outcome of an election or referendum.' }, 6);
    const other = makePassage({ source: 'annex.md', section: 'Area 7', text: 'Area 7 of the annex covers migration, asylum and border control.' }, 3);
    const catalog: SectionCatalog = { findSection: (source, section) => [leadIn, items, other].filter((passage) => passage.source === source && passage.section === section) };
    const result = extractiveAnswer('Does the annex cover AI that influences an election or referendum?', scored([items, 0.9], [other, 0.4]), { sectionCatalog: catalog, settings: oneSentenceSpan });
    expect(result.answer).toBe('The annex covers the administration of justice and democratic processes [1]. (c) AI intended to influence the outcome of an election or referendum [2].');
    expect(result.citations.map((citation) => [citation.n, citation.section])).toEqual([
      [1, 'Area 8'],
      [2, 'Area 8'],
    ]);
    expect(leadIn.text).toContain(result.citations[0]?.quote);
    expect(items.text).toContain(result.citations[1]?.quote);
  });

  it('brings the sentence a "This…", "It…" or "Such…" opening points back to, and nothing else', () => {
    const cases = [
      {
        text: 'Market surveillance runs on national structures. Each Member State sets up at least one AI regulatory sandbox. This sandbox lets providers test innovative systems under supervision before market entry. Sandboxes are free of charge for small firms.',
        question: 'Can providers test innovative systems under supervision before market entry?',
        expected: 'Each Member State sets up at least one AI regulatory sandbox [1]. This sandbox lets providers test innovative systems under supervision before market entry [1].',
      },
      {
        text: 'The commission keeps a public database of high-risk systems. Providers register their systems there before placing them on the market. It holds the contact details of the provider and the instructions for use. The database is free to consult.',
        question: 'Does the register hold contact details and instructions for use?',
        expected: 'Providers register their systems there before placing them on the market [1]. It holds the contact details of the provider and the instructions for use [1].',
      },
      {
        text: 'Providers document their training data. Public authorities may not evaluate people by their social behaviour over time. Such social scoring is prohibited in the Union. Fines apply.',
        question: 'Is social scoring prohibited in the Union?',
        expected: 'Public authorities may not evaluate people by their social behaviour over time [1]. Such social scoring is prohibited in the Union [1].',
      },
    ];
    for (const { text, question, expected } of cases) {
      const passage = makePassage({ source: 'p.md', section: 'S', text });
      expect(extractiveAnswer(question, scored([passage, 0.9]), { settings: oneSentenceSpan }).answer).toBe(expected);
    }
    // The same sentence that does not point back stands alone.
    const standalone = makePassage({ source: 'p.md', section: 'S', text: (cases[0]?.text ?? '').replace('This sandbox lets', 'The sandbox lets') });
    expect(extractiveAnswer(cases[0]?.question ?? '', scored([standalone, 0.9]), { settings: oneSentenceSpan }).answer).toBe(
      'The sandbox lets providers test innovative systems under supervision before market entry [1].',
    );
  });

  it('brings the predecessor of a Japanese sentence opening with その', () => {
    const passage = makePassage({
      source: 'jp.md',
      section: '第3章',
      language: 'ja',
      text: '事業者は、AIの利用について定期的に点検する。事業者は、重大な事故が起きた場合に所管省庁へ報告する。その報告は、事故を把握してから三十日以内に行う。研修は年に一度実施する。',
    });
    const result = extractiveAnswer('報告は事故を把握してから何日以内に行いますか？', scored([passage, 0.9]), { settings: oneSentenceSpan });
    expect(result.answer).toBe('事業者は、重大な事故が起きた場合に所管省庁へ報告する[1]。その報告は、事故を把握してから三十日以内に行う[1]。');
  });

  it('brings the items of a list the sentence announces ("…lists three duties.", "…the following:"), within the word cap', () => {
    const duties = makePassage({
      source: 'p.md',
      section: 'Deployer duties',
      text:
        'Deployers use the system according to its instructions. Article 26 lists three duties of deployers of high-risk systems.\n' +
        '- Assign human oversight to trained staff.\n- Keep the automatically generated logs.\n- Inform workers before the system is used at work.\n' +
        'Market surveillance authorities check compliance.',
    });
    const question = 'What are the duties of deployers of high-risk systems?';
    const whole = extractiveAnswer(question, scored([duties, 0.9]), { settings: oneSentenceSpan });
    expect(whole.answer.startsWith('Article 26 lists three duties of deployers of high-risk systems [1].')).toBe(true);
    for (const item of ['Assign human oversight to trained staff [1].', 'Keep the automatically generated logs [1].', 'Inform workers before the system is used at work [1].']) expect(whole.answer).toContain(item);
    expect(whole.answer).not.toContain('according to its instructions');
    // Under a 25-word cap the list is cut after the items that fit.
    const capped = extractiveAnswer(question, scored([duties, 0.9]), { settings: { ...oneSentenceSpan, maxWords: 25 } });
    expect(capped.answer).toContain('Keep the automatically generated logs [1].');
    expect(capped.answer).not.toContain('Inform workers');
    expect(answerWords(capped.answer)).toBeLessThanOrEqual(25);

    const documentation = makePassage({
      source: 'p.md',
      section: 'Documentation',
      text: 'Providers keep records. The technical documentation contains the following:\n- a general description of the system;\n- the design specifications;\n- the risk management system.\nIt is kept for ten years.',
    });
    const following = extractiveAnswer('What does the technical documentation contain?', scored([documentation, 0.9]), { settings: oneSentenceSpan });
    // The items start on their own lines, as in the source; the marker goes before the colon.
    expect(following.answer).toBe(
      'The technical documentation contains the following [1]:\n- a general description of the system [1].\n- the design specifications [1].\n- the risk management system [1].',
    );
    expect(following.answer).not.toContain('Providers keep records');
  });

  it('keeps an exception that follows the chosen span with it, and only an exception', () => {
    const question = 'Is real-time remote biometric identification in public spaces prohibited?';
    const rule = 'Real-time remote biometric identification in public spaces is prohibited for law enforcement.';
    const answerFor = (follower: string) =>
      // sectionQualifier off: only the rule "an exception right after the span stays with it" can bring it.
      extractiveAnswer(question, scored([makePassage({ source: 'p.md', section: 'Article 5', text: `Providers register their systems. ${rule} ${follower} Member States notify the Commission.` }), 0.9]), {
        settings: { ...oneSentenceSpan, sectionQualifier: false },
      }).answer;
    expect(answerFor('However, the prohibition does not apply to the targeted search for victims of abduction.')).toBe(
      'Real-time remote biometric identification in public spaces is prohibited for law enforcement [1]. However, the prohibition does not apply to the targeted search for victims of abduction [1].',
    );
    expect(answerFor('The prohibition does not apply to the targeted search for victims of abduction.')).toBe(
      'Real-time remote biometric identification in public spaces is prohibited for law enforcement [1]. The prohibition does not apply to the targeted search for victims of abduction [1].',
    );
    expect(answerFor('The Commission publishes guidance on the targeted search for victims of abduction.')).toBe(
      'Real-time remote biometric identification in public spaces is prohibited for law enforcement [1].',
    );
  });

  it('adds an exception stated elsewhere in the lead section (sectionQualifier)', () => {
    const passage = makePassage({
      source: 'p.md',
      section: 'Article 5',
      text:
        'Real-time remote biometric identification in public spaces is prohibited for law enforcement. Member States notify the Commission of each use. National authorities keep a register. ' +
        'Publicly accessible spaces include stations and shops. The prohibition does not apply to the targeted search for victims of abduction.',
    });
    const question = 'Is real-time remote biometric identification in public spaces prohibited?';
    const result = extractiveAnswer(question, scored([passage, 0.9]));
    expect(result.answer.startsWith('Real-time remote biometric identification in public spaces is prohibited for law enforcement [1].')).toBe(true);
    expect(result.answer.endsWith('The prohibition does not apply to the targeted search for victims of abduction [1].')).toBe(true);
    expect(extractiveAnswer(question, scored([passage, 0.9]), { settings: { sectionQualifier: false, minLeadWords: 0 } }).answer).not.toContain('does not apply');
  });

  it('avoids a sentence that points back to text that was not retrieved when a self-standing one answers', () => {
    // A chunk that starts mid-section: "These providers…" has nothing before it.
    const passage = makePassage(
      { source: 'doc.md', section: 'Article 18', text: 'These providers keep records of the system and of its updates. Providers keep records of the system. Updates are announced. Updates are tested. Updates are signed.' },
      7,
    );
    expect(extractiveAnswer('Do providers keep records of the system updates?', scored([passage, 0.9]), { settings: oneSentenceSpan }).answer).toBe('Providers keep records of the system [1].');
  });
});

describe('long inline enumerations', () => {
  const text =
    'The deployer of a high-risk AI system shall, before putting it into service, (a) assign human oversight to natural persons who have the necessary competence, training and authority; ' +
    '(b) ensure that input data is relevant and sufficiently representative in view of the intended purpose; and (c) keep the logs automatically generated by the system for a period of at least six months.';
  const passage = makePassage({ source: 'eu-ai-act.md', section: 'Article 26', text: `Providers register their systems. ${text} Fines apply.` });

  it('are read as a lead-in and one unit per item', () => {
    expect(wordCount(text)).toBeGreaterThan(40);
    const [span] = splitSentences(text);
    expect(enumerationUnits(span ?? { text: '', start: 0, end: 0 }).map((unit) => unit.text.slice(0, 12))).toEqual(['The deployer', '(a) assign h', '(b) ensure t', '(c) keep the']);
    const short = 'Deployers shall (a) assign oversight; and (b) keep logs.';
    expect(enumerationUnits({ text: short, start: 0, end: short.length })).toHaveLength(1);
  });

  it('answer with the lead-in and the matching item, " … " for skipped items, a full stop for "; and", and a verbatim quote', () => {
    const result = extractiveAnswer('Must input data be representative?', scored([passage, 0.9]), { settings: oneSentenceSpan });
    expect(result.answer).toBe(
      'The deployer of a high-risk AI system shall, before putting it into service, … (b) ensure that input data is relevant and sufficiently representative in view of the intended purpose [1].',
    );
    expect(result.citations).toHaveLength(1);
    expect(passage.text).toContain(result.citations[0]?.quote);
    expect(result.citations[0]?.quote).toContain('representative in view of the intended purpose; and (c)');
    // The first item follows its lead-in directly: no ellipsis.
    const first = extractiveAnswer('Who must assign human oversight to persons with competence?', scored([passage, 0.9]), { settings: oneSentenceSpan });
    expect(first.answer).toBe(
      'The deployer of a high-risk AI system shall, before putting it into service, (a) assign human oversight to natural persons who have the necessary competence, training and authority [1].',
    );
  });
});

describe('length', () => {
  const section = makePassage({
    source: 'p.md',
    section: 'Obligations',
    text:
      'Deployers use the system according to its instructions for use. Article 26 lists four duties of deployers of high-risk systems.\n' +
      '- Assign human oversight to natural persons with the necessary competence, training and authority.\n' +
      '- Ensure that input data is relevant and sufficiently representative for the intended purpose.\n' +
      '- Keep the automatically generated logs for at least six months.\n' +
      '- Inform workers and their representatives before the system is used at the workplace.\n' +
      'However, financial institutions meet the logging duty through their internal governance rules. This exemption does not cover oversight.',
  });
  const questions = ['What are the duties of deployers of high-risk systems?', 'Must deployers keep the logs?', 'Does the oversight duty have an exemption?'];

  it('never exceeds settings.maxWords when more than one sentence is used', () => {
    let capBinds = false;
    let capChecked = false;
    for (const maxWords of [15, 25, 40, 60]) {
      for (const question of questions) {
        const uncapped = extractiveAnswer(question, scored([section, 0.9], [logging, 0.6]), { settings: { maxWords: 1000 } });
        const result = extractiveAnswer(question, scored([section, 0.9], [logging, 0.6]), { settings: { maxWords } });
        expect(result.answer).not.toBe('');
        if (pieces(result.answer) > 1) {
          expect(answerWords(result.answer)).toBeLessThanOrEqual(maxWords);
          capChecked = true;
        }
        if (answerWords(uncapped.answer) > maxWords) capBinds = true;
      }
    }
    // Multi-sentence answers were checked, and the cap did shorten some: the check above was not vacuous.
    expect(capChecked).toBe(true);
    expect(capBinds).toBe(true);
  });

  it('takes a single lead sentence whole even when it is longer than the cap', () => {
    const result = extractiveAnswer('How much are the fines for prohibited AI practices?', scored([penalties, 0.9]), { settings: { maxWords: 10 } });
    expect(result.answer).toBe('Non-compliance with the prohibition of AI practices is subject to fines of up to EUR 35 000 000 or 7 % of worldwide annual turnover [1].');
  });
});

describe('a second part from another section', () => {
  const scoring = makePassage({ source: 'prohibitions.md', section: 'Article 5', text: 'Social scoring by public authorities is prohibited. Untargeted scraping of facial images is prohibited.' });
  const fines = makePassage({ source: 'penalties.md', section: 'Article 99', text: 'Breaches of the prohibitions are subject to fines of up to EUR 35 million or 7 % of worldwide turnover.' });
  const dates = makePassage({ source: 'dates.md', section: 'Article 113', text: 'The prohibitions apply from 2 February 2025.' });
  const ranking = scored([scoring, 0.9], [fines, 0.8], [dates, 0.7]);

  it('is added when the question has a part the lead leaves open', () => {
    const result = extractiveAnswer('Is social scoring prohibited, and how much are the fines?', ranking);
    expect(result.answer.startsWith('Social scoring by public authorities is prohibited [1].')).toBe(true);
    expect(result.answer).toMatch(/subject to fines of up to EUR 35 million or 7 % of worldwide turnover \[2\]\.$/u);
    expect(result.citations.map((citation) => citation.source)).toEqual(['prohibitions.md', 'penalties.md']);
    // Turned off, the open part stays open.
    const withoutSupport = extractiveAnswer('Is social scoring prohibited, and how much are the fines?', ranking, { settings: { support: false } });
    expect(withoutSupport.answer).not.toContain('EUR 35 million');
  });

  it("never comes from a document's preamble (text before its first heading)", () => {
    const question = 'Is social scoring prohibited, and how much are the fines?';
    const finesIn = (section: string) => makePassage({ source: 'penalties.md', section, text: fines.text });
    expect(extractiveAnswer(question, scored([scoring, 0.9], [finesIn('Article 99'), 0.8])).answer).toContain('EUR 35 million');
    const fromPreamble = extractiveAnswer(question, scored([scoring, 0.9], [finesIn(''), 0.8]));
    expect(fromPreamble.answer).not.toContain('EUR 35 million');
    expect(fromPreamble.citations.map((citation) => citation.source)).toEqual(['prohibitions.md']);
  });

  it('is not added for a simple question the lead answers, even when another section holds one of its minor words', () => {
    const office = makePassage({ source: 'office.md', section: 'AI Office', text: 'The Union AI Office coordinates enforcement across Member States.' });
    const result = extractiveAnswer('Is social scoring by public authorities prohibited in the Union?', scored([scoring, 0.9], [office, 0.85], [fines, 0.8]));
    expect(result.answer.startsWith('Social scoring by public authorities is prohibited [1].')).toBe(true);
    expect(result.citations.map((citation) => citation.source)).toEqual(['prohibitions.md']);
    expect(result.answer).not.toContain('AI Office');
  });

  it('is not added when the lead answers everything asked', () => {
    const result = extractiveAnswer('Is social scoring prohibited?', ranking);
    expect(result.answer.startsWith('Social scoring by public authorities is prohibited [1].')).toBe(true);
    expect(result.citations.map((citation) => citation.source)).toEqual(['prohibitions.md']);
    expect(result.answer).not.toContain('EUR');
    expect(result.answer).not.toContain('2025');
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
      text: 'Deployers keep the logs generated by a high-risk AI system under their control. Deployers keep the logs for at least six months unless other law says otherwise. Logs support monitoring.',
    });
    // Both sentences hold "deployers keep the logs"; only the duration separates them.
    expect(extractiveAnswer('How long do deployers keep the logs?', scored([logs, 0.9]), { settings: oneSentenceSpan }).answer).toBe(
      'Deployers keep the logs for at least six months unless other law says otherwise [1].',
    );
    expect(extractiveAnswer('Do deployers keep the logs?', scored([logs, 0.9]), { settings: oneSentenceSpan }).answer).toBe(
      'Deployers keep the logs generated by a high-risk AI system under their control [1].',
    );
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
    const result = extractiveAnswer('What is the penalty regime of Article 99 for prohibited practices fines?', [{ passage, score: 0.9 }], { settings: { maxWords: 15 } });
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

describe('sentence roles', () => {
  it('recognises dangling openings in English and Japanese', () => {
    expect(isDangling('In this respect it differs sharply from the EU AI Act.')).toBe(true);
    expect(isDangling('However, the Act has no fines.')).toBe(true);
    expect(isDangling('These uses are high-risk because they shape careers.')).toBe(true);
    expect(isDangling('その一方で、罰則はありません。')).toBe(true);
    expect(isDangling('The Guidelines impose no penalties.')).toBe(false);
    expect(isDangling('There are four conditions.')).toBe(false);
    expect(isDangling('It is prohibited to place such systems on the market.')).toBe(false);
    expect(isDangling('This Regulation applies to providers.')).toBe(false);
  });

  it('recognises list items, including checklist labels, but not notes', () => {
    for (const item of ['- Keep the logs.', '(b) AI used by courts.', '2. Assess the risks.', '①記録を残す。', 'High: obtain written approval.', 'All tiers: complete the form.']) expect(isListItem(item)).toBe(true);
    for (const sentence of ['Note: this is informal.', 'Example: a CV screener.', 'The deployer keeps the logs.']) expect(isListItem(sentence)).toBe(false);
  });

  it('recognises sentences that announce a list', () => {
    expect(announcesList('The technical documentation contains the following:')).toBe(true);
    expect(announcesList('Article 26 lists three duties of deployers.')).toBe(true);
    expect(announcesList('The Act entered into force in 2024.')).toBe(false);
    expect(announcesList('Deployers keep the logs for six months.')).toBe(false);
  });

  it('recognises exceptions and conditions', () => {
    expect(qualifiesPrevious('However, the prohibition does not apply to searches for victims.')).toBe(true);
    expect(qualifiesPrevious('Micro-enterprises are exempt from this duty.')).toBe(true);
    expect(qualifiesPrevious('ただし、研究目的の利用を除く。')).toBe(true);
    expect(qualifiesPrevious('The Commission publishes guidance.')).toBe(false);
  });

  it('prefer a self-standing sentence to one that depends on a sentence left out', () => {
    const passage = makePassage({
      source: 'jp.md',
      section: 'Penalties',
      text:
        'The Japanese guidelines are voluntary soft law. They were issued in December. ' +
        'In this respect they differ sharply from the EU AI Act, which has penalties. The Japanese guidelines impose no penalties on companies.',
    });
    const result = extractiveAnswer('Do the Japanese guidelines impose penalties?', [{ passage, score: 0.9 }], { settings: { maxWords: 12 } });
    expect(result.answer).toBe('The Japanese guidelines impose no penalties on companies [1].');
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

describe('lists too long to show whole', () => {
  it('name an item by its marker and the words before its first dash, colon or comma', () => {
    expect(itemHead('(1) human-centric — respect human dignity and autonomy;')).toBe('(1) human-centric');
    expect(itemHead('(b) AI used to evaluate creditworthiness, for example when granting a loan; and')).toBe('(b) AI used to evaluate creditworthiness');
    expect(itemHead('①人間中心の価値：人間の尊厳を尊重すること。')).toBe('①人間中心の価値');
    expect(itemHead('(c) a very long item without any separator that goes on and on for many words')).toBe('(c) a very long item without any separator that …');
  });

  it('show the lead-in and the heads of every item, each a verbatim opening, when the items would not fit', () => {
    const principles = Array.from({ length: 10 }, (_, index) => `(${index + 1}) principle ${index + 1} — ${'a duty that every operator keeps in mind when it builds and uses AI '.repeat(2).trim()}`);
    const passage = makePassage({
      source: 'g.md',
      section: 'Ten principles',
      text: `The guidelines list ten common guiding principles for every operator. They are: ${principles.join('; ')}.`,
    });
    const result = extractiveAnswer('What are the ten common guiding principles?', scored([passage, 0.9]));
    expect(result.answer).toContain('The guidelines list ten common guiding principles for every operator [1].');
    expect(result.answer).toContain('They are: (1) principle 1; (2) principle 2;');
    expect(result.answer).toContain('(10) principle 10 [1].');
    expect(wordCount(result.answer.replace(/\s*\[\d+\]/gu, ''))).toBeLessThanOrEqual(120);
    // Every head is the verbatim start of an item of the cited passage.
    for (const head of result.answer.match(/\(\d+\) principle \d+/gu) ?? []) expect(passage.text).toContain(head);
    // Turned off, the list is cut at the word cap instead.
    expect(extractiveAnswer('What are the ten common guiding principles?', scored([passage, 0.9]), { settings: { compactLists: false } }).answer).not.toContain('(10) principle 10');
  });

  it('cite only passages whose marker appears in the answer', () => {
    const first = makePassage({ source: 'g.md', section: 'Ten principles', chunkId: 'g.md#1', text: 'The guidelines list four duties. They are: (1) duty one — keep records of every system for ten years; (2) duty two — inform the people' });
    const second = makePassage({ source: 'g.md', section: 'Ten principles', chunkId: 'g.md#2', text: 'affected before use; (3) duty three — test the system before release; and (4) duty four — report serious incidents quickly.' });
    const catalog: SectionCatalog = { findSection: () => [first, second] };
    const result = extractiveAnswer('What are the four duties?', scored([first, 0.9], [second, 0.8]), { sectionCatalog: catalog });
    const markers = new Set((result.answer.match(/\[(\d+)\]/gu) ?? []).map((marker) => Number(marker.slice(1, -1))));
    expect(result.citations.map((citation) => citation.n).every((n) => markers.has(n))).toBe(true);
  });
});
