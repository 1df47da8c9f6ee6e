// The text embedded for a passage: its heading path, then its text, so short passages carry their topic.
import type { Passage } from '../../ports/passage.js';

export function embeddingText(passage: Pick<Passage, 'title' | 'section' | 'text'>): string {
  return `${passage.section.replace(/ › /g, ', ')}\n${passage.text}`;
}
