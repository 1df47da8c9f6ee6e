// Classification wording in both languages: labels, the headline, the vendor's share and the summary lines.
import { describe, expect, it } from 'vitest';
import type { Classification } from '../intake/classification.js';
import {
  classificationHeadline,
  classificationSummaryLines,
  decisionLabel,
  statusLabel,
  statusLabels,
  tierLabel,
  tierLabels,
  vendorDutySummary,
} from './classification-presentation.js';

const duty = (id: string, framework: string, ask: string) => ({ id, text: `${id} text`, framework, ask, ruleIds: ['r'], citations: [] });

const classification: Classification = {
  tier: 'high',
  flagged: true,
  flagReasons: [],
  reasons: [{ ruleId: 'r', tier: 'high', summary: 'Employment use', citations: [] }],
  obligations: [{ id: 'o', text: 'Keep logs.', framework: 'EU AI Act', ruleIds: ['r'], citations: [] }],
  vendorDuties: [duty('a', 'EU AI Act', 'the logs'), duty('b', 'Japan AI Guidelines', 'the data sources')],
  signals: [],
  rulesVersion: 'v1',
};

describe('classification presentation', () => {
  it('keeps the English labels for English readers', () => {
    expect(tierLabels.limited).toBe('Limited risk (transparency)');
    expect(statusLabels.pending_review).toBe('Waiting for governance review');
    expect(classificationHeadline(classification)).toBe('High risk — sent to the governance team for review');
    expect(classificationHeadline({ tier: 'minimal', flagged: false })).toBe('Minimal risk — no review needed');
    expect(vendorDutySummary(classification)?.intro).toBe(
      '2 duties under the EU AI Act and Japan AI Guidelines sit with the vendor as provider or developer, not with your role. Ask the vendor for:',
    );
    expect(vendorDutySummary({ vendorDuties: [duty('a', 'EU AI Act', 'x')] })?.intro).toMatch(/^One duty under the EU AI Act sits with/u);
  });

  it('words labels, headline and summary in Japanese for Japanese readers', () => {
    expect(tierLabel('ja', 'prohibited')).toBe('禁止');
    expect(statusLabel('ja', 'approved_with_conditions')).toBe('条件付き承認');
    expect(decisionLabel('ja', 'request_changes')).toBe('修正を依頼する');
    expect(classificationHeadline(classification, 'ja')).toBe('高リスク：ガバナンスチームの審査に回しました');
    const vendor = vendorDutySummary({ vendorDuties: [duty('a', 'EU AI法', 'ログ'), duty('b', 'AIガイドライン', 'データの出所')] }, 'ja');
    expect(vendor?.heading).toBe('ベンダーに確認すること');
    expect(vendor?.intro).toContain('EU AI法、AIガイドラインに基づく義務のうち 2 件は');
    const lines = classificationSummaryLines(classification, 10, 'ja');
    expect(lines[0]).toBe('高リスク：ガバナンスチームの審査に回しました');
    expect(lines).toContain('判定の理由：');
    expect(lines).toContain('対応事項：');
    expect(lines.some((line) => line.startsWith('ベンダーに確認すること：'))).toBe(true);
  });

  it('says how many obligations are left out, in the reader’s language', () => {
    const many = { ...classification, obligations: Array.from({ length: 4 }, (_, index) => ({ id: `o${index}`, text: `Duty ${index}`, framework: 'EU AI Act', ruleIds: ['r'], citations: [] })) };
    expect(classificationSummaryLines(many, 2)).toContain('• …and 2 more');
    expect(classificationSummaryLines(many, 2, 'ja')).toContain('• ほか 2 件');
  });
});
