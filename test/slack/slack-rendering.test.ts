// Rendering tests: escaping, links, limits, the intake modal and its errors, review messages.
import { describe, expect, it } from 'vitest';
import type { AnswerDetails } from '../../src/core/answer/answer.js';
import type { Classification } from '../../src/core/intake/classification.js';
import { fieldLabels, intakeInputSchema, toFieldErrors } from '../../src/core/intake/intake-schema.js';
import type { IntakeRecord } from '../../src/core/review/review-types.js';
import { answerActionIds, renderAnswer } from '../../src/channels/slack/answer-blocks.js';
import { renderClassificationMessage, renderReviewMessage, reviewActionIds } from '../../src/channels/slack/intake-blocks.js';
import { buildIntakeModal, fieldErrorsToBlockErrors, readIntakeModal } from '../../src/channels/slack/intake-modal.js';
import { escapeMrkdwn, safeLink, splitText, truncate } from '../../src/channels/slack/mrkdwn.js';
import { slackTextToPlain } from '../../src/channels/slack/slack-text.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { modalValues, shownText } from './slack-harness.js';

const pingPattern = /<!(channel|here|everyone)|<@U|<!subteam/;

function answerOf(fields: Partial<AnswerDetails> = {}): AnswerDetails {
  return {
    answer: 'Employment uses are high-risk [1]. Providers must manage risk [2].',
    grounded: true,
    citations: [
      { n: 1, title: 'EU AI Act', source: 'eu/annex-iii.md', section: 'Annex III', quote: 'AI systems intended to be used for recruitment…', url: 'https://example.org/annex-iii', score: 0.8 },
      { n: 2, title: 'EU AI Act', source: 'eu/requirements.md', section: 'Article 9', quote: 'A risk management system shall be established.', score: 0.7 },
    ],
    related: [],
    mode: 'extractive',
    answerId: 'ans-1',
    timings: { retrievalMs: 1, totalMs: 2 },
    ...fields,
  };
}

function allText(value: unknown): string {
  return JSON.stringify(value);
}

describe('mrkdwn safety', () => {
  it('escapes control characters so pings and links cannot be forged', () => {
    expect(escapeMrkdwn('<!channel> & <@U123|bob> <https://evil|click>')).toBe('&lt;!channel&gt; &amp; &lt;@U123|bob&gt; &lt;https://evil|click&gt;');
  });

  it('builds links only from http(s) URLs and escapes labels', () => {
    expect(safeLink('https://example.org/a?b=1', 'Title <!here>')).toBe('<https://example.org/a?b=1|Title &lt;!here&gt;>');
    expect(safeLink('javascript:alert(1)', 'x')).toBe('x');
    expect(safeLink('https://example.org/a|b>c', 'y')).toBe('<https://example.org/a%7Cb%3Ec|y>');
    expect(safeLink(undefined, 'label|with pipe')).toBe('label¦with pipe');
  });

  it('truncates without breaking entities and splits long text within the limit', () => {
    const cut = truncate('a &amp; b '.repeat(10), 24);
    expect(cut.length).toBeLessThanOrEqual(24);
    expect(cut).not.toMatch(/&[a-z]*…$/);
    const chunks = splitText('word '.repeat(2000), 3000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(3000);
  });

  it('reads Slack markup back as plain text', () => {
    expect(slackTextToPlain('<@UBOT1> do we need a DPIA for <https://x.org|this>? &lt;ok&gt;', 'UBOT1')).toBe('do we need a DPIA for this (https://x.org)? <ok>');
  });
});

describe('answer blocks', () => {
  it('carries the answer, numbered sources with quotes, the AI note and the buttons', () => {
    const message = renderAnswer(answerOf(), { question: 'Is CV screening high-risk?' });
    const text = allText(message.blocks);
    expect(message.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', verbatim: true } });
    expect(text).toContain('[1] <https://example.org/annex-iii|EU AI Act — Annex III>');
    expect(text).toContain('[2] EU AI Act — Article 9');
    expect(text).toContain('A risk management system shall be established.');
    expect(text).toContain('AI-generated');
    const actions = message.blocks.at(-1);
    expect(actions).toMatchObject({ type: 'actions' });
    const ids = (actions as { elements: Array<{ action_id: string; value: string }> }).elements.map((element) => element.action_id);
    expect(ids).toEqual([answerActionIds.feedbackUp, answerActionIds.feedbackDown, answerActionIds.escalate]);
    expect(renderAnswer(answerOf(), { question: 'q', shareable: true }).blocks.at(-1)).toMatchObject({
      elements: expect.arrayContaining([expect.objectContaining({ action_id: answerActionIds.share })]),
    });
  });

  it('escapes pings coming from the answer or a document', () => {
    const message = renderAnswer(
      answerOf({
        answer: 'Tell <!channel> and <@U999> and <!subteam^S1|@team> [1]',
        citations: [{ n: 1, title: '<!here> policy', source: 'a.md', section: '<@U1>', quote: '<!everyone> read <https://evil.example|this>', url: 'https://ok.example', score: 1 }],
      }),
      { question: '<!channel> question' },
    );
    const text = shownText(message);
    expect(text).not.toMatch(pingPattern);
    expect(text).not.toContain('<https://evil.example');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('adds one compact "Related sources" context after the cited sources, at most three, links only for http(s)', () => {
    const related = [
      { n: 3, title: 'AI Guidelines for Business', source: 'meti.md', section: 'Transparency', quote: 'Not shown.', url: 'https://example.org/meti', score: 0.6 },
      { n: 4, title: 'R&D <!here> policy', source: 'policy.md', section: 'Scope > all', quote: 'Not shown.', url: 'javascript:alert(1)', score: 0.5 },
      { n: 5, title: 'ISO/IEC 42001', source: 'iso.md', section: '', quote: 'Not shown.', score: 0.5 },
      { n: 6, title: 'Fourth related', source: 'x.md', section: 'S', quote: 'Not shown.', url: 'https://example.org/x', score: 0.4 },
    ];
    const message = renderAnswer(answerOf({ related }), { question: 'Is CV screening high-risk?' });
    const contexts = message.blocks.filter((block) => block.type === 'context');
    const texts = contexts.map((block) => allText(block));
    const relatedIndex = texts.findIndex((text) => text.includes('Related sources'));
    expect(relatedIndex).toBeGreaterThan(texts.findIndex((text) => text.includes('[2] EU AI Act')));
    expect(relatedIndex).toBeLessThan(texts.findIndex((text) => text.includes('AI-generated')));
    const block = contexts[relatedIndex] as { elements: Array<{ type: string; text: string }> };
    expect(block.elements).toHaveLength(1);
    expect(block.elements[0]?.text).toBe(
      '*Related sources:* <https://example.org/meti|AI Guidelines for Business — Transparency> · R&amp;D &lt;!here&gt; policy — Scope &gt; all · ISO/IEC 42001',
    );
    expect(allText(message.blocks)).not.toContain('Fourth related');
    expect(allText(message.blocks)).not.toContain('Not shown');
    expect(allText(message.blocks)).not.toContain('javascript:');
    expect(shownText(message)).not.toMatch(pingPattern);
  });

  it('shows no related section when there are no related sources', () => {
    expect(allText(renderAnswer(answerOf(), { question: 'q' }).blocks)).not.toContain('Related sources');
  });

  it('keeps the related sources within the context text limit for very long labels and URLs', () => {
    const related = Array.from({ length: 3 }, (_, index) => ({
      n: index + 3,
      title: '&<>'.repeat(400),
      source: 'long.md',
      section: 'S'.repeat(1000),
      quote: 'q',
      url: `https://example.org/${'a'.repeat(1500)}/${index}`,
      score: 0.5,
    }));
    const message = renderAnswer(answerOf({ related }), { question: 'q' });
    const block = message.blocks.find((candidate) => allText(candidate).includes('Related sources')) as { elements: Array<{ text: string }> };
    expect(block.elements.length).toBeLessThanOrEqual(10);
    expect(block.elements[0]?.text.length).toBeLessThanOrEqual(3000);
    expect(block.elements[0]?.text).not.toMatch(/&[a-z]*…/);
  });

  it('stays within Slack limits for very long answers and many sources', () => {
    const citations = Array.from({ length: 40 }, (_, index) => ({
      n: index + 1,
      title: `Doc ${index}`,
      source: `d${index}.md`,
      section: 'S'.repeat(500),
      quote: 'q'.repeat(2000),
      url: `https://example.org/${index}`,
      score: 0.5,
    }));
    const message = renderAnswer(answerOf({ answer: 'long sentence here. '.repeat(2000), citations }), { question: 'x'.repeat(5000) });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.text.length).toBeLessThanOrEqual(40_000);
    for (const block of message.blocks) {
      if (block.type === 'section' && block.text !== undefined) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'context') for (const element of block.elements) expect(allText(element).length).toBeLessThanOrEqual(3100);
      if (block.type === 'actions') for (const element of block.elements) expect(String((element as { value?: string }).value ?? '').length).toBeLessThanOrEqual(2000);
    }
    expect(allText(message.blocks)).toContain('answer shortened');
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
  });
});


describe('intake modal', () => {
  it('has one input block per intake field, labelled from the schema', () => {
    const modal = buildIntakeModal();
    const inputs = modal.blocks.filter((block) => block.type === 'input') as Array<{ block_id: string; label: { text: string }; optional?: boolean; element: { type: string } }>;
    expect(inputs.map((block) => block.block_id).sort()).toEqual(Object.keys(fieldLabels).sort());
    for (const block of inputs) expect(block.label.text).toBe(fieldLabels[block.block_id as keyof typeof fieldLabels]);
    const byId = Object.fromEntries(inputs.map((block) => [block.block_id, block]));
    expect(byId.title?.element.type).toBe('plain_text_input');
    expect(byId.domains?.element.type).toBe('multi_static_select');
    expect(byId.practices?.optional).toBe(true);
    expect(byId.role?.element.type).toBe('static_select');
    expect(byId.profilesPeople?.element.type).toBe('radio_buttons');
    expect(modal.blocks.length).toBeLessThanOrEqual(100);
    expect(allText(modal)).toContain('Employment and HR');
  });

  it('reads a filled-in modal into a valid intake', () => {
    const parsed = intakeInputSchema.parse(readIntakeModal(modalValues(cvScreeningIntake)));
    expect(parsed).toEqual(cvScreeningIntake);
  });

  it('maps schema errors to block ids', () => {
    const result = intakeInputSchema.safeParse(readIntakeModal(modalValues({ ...cvScreeningIntake, title: 'x', description: 'short', domains: [] })));
    expect(result.success).toBe(false);
    if (result.success) return;
    const errors = fieldErrorsToBlockErrors(toFieldErrors(result.error));
    expect(Object.keys(errors).sort()).toEqual(['description', 'domains', 'title']);
    expect(errors.title).toMatch(/at least 3/);
  });
});

describe('review messages', () => {
  const classification: Classification = {
    tier: 'high',
    flagged: true,
    flagReasons: ['High-risk tier'],
    reasons: [{ ruleId: 'eu.annex3.employment', tier: 'high', summary: 'Employment use <!channel>', citations: [{ source: 'eu.md', section: 'Annex III', quote: 'recruitment', title: 'EU AI Act', url: 'https://example.org/x' }] }],
    obligations: [{ id: 'eu.risk', text: 'Run a risk management system', framework: 'EU AI Act', ruleIds: ['eu.annex3.employment'], citations: [] }],
    signals: [],
    rulesVersion: '2026.1',
  };
  const record: IntakeRecord = {
    id: 'AI-TEST01',
    version: 1,
    input: { ...cvScreeningIntake, title: 'CV <!here> screening' },
    classification,
    status: 'pending_review',
    submittedBy: { channel: 'slack', id: 'U0SUBMIT' },
    submittedAt: '2026-11-25T10:00:00.000Z',
    idempotencyKey: 'k',
    reviewMessages: [],
    updatedAt: '2026-11-25T10:00:00.000Z',
  };

  it('offers the four decisions while pending and none after', () => {
    const pending = renderReviewMessage(record, 'https://console.example/console/intakes/AI-TEST01');
    const actions = pending.blocks.find((block) => block.type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    expect(actions.elements.map((element) => element.action_id)).toEqual(Object.values(reviewActionIds));
    expect(actions.elements.every((element) => element.value === 'AI-TEST01')).toBe(true);
    expect(allText(pending).replace(/<@U0SUBMIT>/g, '')).not.toMatch(pingPattern);
    const decided = renderReviewMessage(
      { ...record, status: 'approved', decision: 'approve', decidedBy: { channel: 'web', id: 'alice' }, decidedAt: '2026-11-25T11:00:00.000Z' },
      undefined,
    );
    expect(decided.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(allText(decided)).toContain('Approved');
  });

  it('summarises the classification for the submitter with citations', () => {
    const message = renderClassificationMessage(record, undefined);
    const text = allText(message);
    expect(text).toContain('High risk');
    expect(text).toContain('<https://example.org/x|EU AI Act — Annex III>');
    expect(text).toContain('Run a risk management system');
    expect(text).not.toMatch(pingPattern);
  });
});
