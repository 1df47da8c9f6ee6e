// Loads the answer prompts from the prompts directory and fills them: the question and the numbered
// passages, each wrapped in a <passage> element so the model can tell quoted data from instructions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ShishinError } from '../../errors.js';
import type { ChatMessage } from '../../ports/chat-model.js';
import type { ScoredPassage } from '../../ports/passage.js';

export interface AnswerPrompts {
  system: string;
  user: string;
}

/** Reads `answer-system.md` and `answer-user.md`; fails with config_invalid when one is missing. */
export function loadAnswerPrompts(promptsDir: string): AnswerPrompts {
  const read = (name: string) => {
    const file = path.join(promptsDir, name);
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new ShishinError('config_invalid', `PROMPTS_DIR: cannot read ${file}`, { cause: error });
    }
  };
  const prompts = { system: read('answer-system.md').trim(), user: read('answer-user.md').trim() };
  for (const placeholder of ['{{question}}', '{{passages}}']) {
    if (!prompts.user.includes(placeholder)) throw new ShishinError('config_invalid', `answer-user.md must contain ${placeholder}`);
  }
  return prompts;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/gu, '&amp;').replace(/"/gu, '&quot;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/\s+/gu, ' ');
}

/** Neutralises anything in quoted text that could close or open a passage or question element. */
function escapeContent(value: string): string {
  return value.replace(/<(\/?)\s*(passage|question|system|instructions?)/giu, '&lt;$1$2');
}

/** The numbered passages block: `<passage n="1" title="…" source="…" section="…">text</passage>`. */
export function formatPassages(passages: ScoredPassage[]): string {
  return passages
    .map(({ passage }, index) =>
      [
        `<passage n="${index + 1}" title="${escapeAttribute(passage.title)}" source="${escapeAttribute(passage.source)}" section="${escapeAttribute(passage.section)}">`,
        escapeContent(passage.text.trim()),
        '</passage>',
      ].join('\n'),
    )
    .join('\n\n');
}

/** System and user messages for one question. Placeholders are filled in one pass, so text inside a
 * passage that looks like a placeholder is never expanded. */
export function buildAnswerMessages(prompts: AnswerPrompts, question: string, passages: ScoredPassage[]): ChatMessage[] {
  const values: Record<string, string> = { question: escapeContent(question.trim()), passages: formatPassages(passages) };
  const user = prompts.user.replace(/\{\{(question|passages)\}\}/gu, (_match, name: string) => values[name] ?? '');
  return [
    { role: 'system', content: prompts.system },
    { role: 'user', content: user },
  ];
}
