// Classification result types. The JSON shape is a stable interface (CLI `classify`, API, cards).

export const riskTiers = ['minimal', 'limited', 'high', 'prohibited'] as const;
export type RiskTier = (typeof riskTiers)[number];

/** Orders tiers so the highest triggered tier wins. */
export function tierRank(tier: RiskTier): number {
  return riskTiers.indexOf(tier);
}

export interface RuleCitation {
  /** Corpus source file, e.g. `eu-ai-act.md`. */
  source: string;
  section: string;
  /** Verbatim extract of the passage the rule rests on. */
  quote: string;
  title?: string;
  /** The http(s) original when the document has one, else the document viewer (`/console/documents/…`). */
  url?: string;
  /** The document viewer at the cited section. */
  documentUrl?: string;
}

export interface ClassificationReason {
  ruleId: string;
  tier: RiskTier;
  /** One line a reviewer can read, e.g. "Employment use (EU AI Act Annex III, area 4)". */
  summary: string;
  citations: RuleCitation[];
}

export interface Obligation {
  /** Stable id, e.g. `eu.risk_management`. */
  id: string;
  /** Checklist text. */
  text: string;
  /** Which framework it comes from: `EU AI Act`, `Japan AI Guidelines`, `Internal policy`, … */
  framework: string;
  /** Rule ids that brought this obligation. */
  ruleIds: string[];
  citations: RuleCitation[];
}

/** A duty the rules bring that sits with the model's vendor (its provider), not with the intake's roles. */
export interface VendorDuty {
  /** Obligation id, e.g. `eu.technical_documentation`. */
  id: string;
  /** The duty, as the vendor's checklist words it. */
  text: string;
  framework: string;
  /** What to ask the vendor for, e.g. "the instructions for use…". */
  ask: string;
  ruleIds: string[];
  citations: RuleCitation[];
}

export interface Signal {
  /** What was noticed, e.g. `employment`, `emotion_recognition_work_or_education`. */
  id: string;
  /** Which area or practice it hints at. */
  kind: 'annex_iii_area' | 'prohibited_practice' | 'other';
  /** "Description mentions ranking job applicants; confirm whether Employment applies." */
  message: string;
  /** The words in the description that triggered it. */
  evidence: string;
  /** `lexical`, `retrieval` or `llm`. */
  detector: 'lexical' | 'retrieval' | 'llm';
  citations: RuleCitation[];
}

export interface Classification {
  tier: RiskTier;
  /** True when the intake needs the governance team's review. */
  flagged: boolean;
  /** Why it is flagged (empty when not flagged). */
  flagReasons: string[];
  reasons: ClassificationReason[];
  /** The duties of the roles the intake holds (EU and Japan operator roles, see roles.ts). */
  obligations: Obligation[];
  /**
   * Duties the rules bring that bind the vendor of a bought or open-source model rather than the
   * intake's roles, with what to ask the vendor for. Absent on classifications stored before roles.
   */
  vendorDuties?: VendorDuty[];
  signals: Signal[];
  /** Version of the rules file used, for the audit trail. */
  rulesVersion: string;
}
