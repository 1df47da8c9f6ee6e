// Answer types shared by every door. The JSON shape is a stable interface (see README, CLI `ask --json`).
import type { Locale } from '../i18n/locale.js';

export interface Citation {
  /** The number shown in the answer text as `[n]`, starting at 1. */
  n: number;
  title: string;
  /** Source file relative to the corpus root. */
  source: string;
  section: string;
  /** A verbatim extract of the passage (≤ 600 characters; usually the whole passage). */
  quote: string;
  /** The http(s) original when the document has one, else the document viewer (`/console/documents/…`). */
  url?: string;
  /** The document viewer at the cited section (`/console/documents/<source>#<anchor>`). */
  documentUrl?: string;
  /** Retrieval relevance of the cited passage, in [0, 1]. */
  score: number;
}

export interface Answer {
  /** Brief answer; every claim ends with `[n]` markers. For ungrounded answers, a plain statement. */
  answer: string;
  /** True when the answer rests on retrieved passages; false when the corpus does not cover the question. */
  grounded: boolean;
  citations: Citation[];
  /**
   * Other strong passages the answer does not cite ("related sources"), best first, numbered after
   * the citations (n = m+1, m+2, …) so no door confuses them with the answer's own markers.
   */
  related: Citation[];
}

/** What the answer service reports besides the public Answer JSON. */
export interface AnswerDetails extends Answer {
  /** Which path produced the text. */
  mode: 'extractive' | 'llm' | 'not_covered';
  /** Short note for the user, e.g. that the LLM was unavailable and an extract is shown. */
  note?: string;
  /** Id of this answer, used for feedback. */
  answerId: string;
  /**
   * Language of the answer's framing (not-covered text, notes): the question's, unless the request
   * named one. Doors render the answer's labels in it. Absent from answers made elsewhere (fakes).
   */
  locale?: Locale;
  /** Milliseconds spent retrieving and answering. */
  timings: { retrievalMs: number; totalMs: number };
}

export interface AskRequest {
  question: string;
  /** Earlier turns of the same conversation (oldest first), to inform retrieval of follow-ups. */
  history?: Array<{ role: 'user' | 'assistant'; text: string }>;
  filter?: import('../../ports/passage.js').PassageFilter;
  /** Aborts the work (e.g. the client went away). */
  signal?: AbortSignal;
  /** Door that asked (`slack`, `teams`, `web`, `api`, `cli`), used as a metrics label only. */
  channel?: string;
  /** Language of the answer's framing; default: the language the question is written in. */
  locale?: Locale;
}

/** The one brain behind every "ask" door. */
export interface AnswerService {
  ask(request: AskRequest): Promise<AnswerDetails>;
}
