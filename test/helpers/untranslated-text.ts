// Finds what a reader of one language should never see in a rendered chat payload (Slack blocks,
// Teams activities and Adaptive Cards) or console page (HTML): a catalogue key that was never
// translated, and — for a Japanese reader — a sentence written only in ASCII. Content is not UI: what
// the user typed, corpus titles, sections and quotes are passed in and left out (in HTML, so is what
// is marked as another language with `lang`, and quotes, code and text areas); ids, codes, URLs,
// mentions, emoji codes, code spans, file names, dotted rule ids and a few proper names ("EU AI Act",
// "ISO/IEC 42001", "Shishin") are allowed.
import type { Locale } from '../../src/core/i18n/locale.js';

/** Keys of text people see: Slack text objects and fallbacks; Adaptive Card texts, labels and choices. */
const shownKeys = new Set(['text', 'title', 'label', 'placeholder', 'errorMessage', 'summary', 'altText']);
/** Keys never shown (ids, codes, values sent back, URLs). */
const hiddenKeys = new Set(['type', 'action_id', 'block_id', 'callback_id', 'private_metadata', 'url', 'value', 'id', 'style', 'data', 'channelData', 'entities', '$schema', 'contentType', 'version', 'image_url']);

/** Every string a payload shows to people, FactSet values included. */
export function shownStrings(payload: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, parentKey?: string) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, parentKey);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const isFact = parentKey === 'facts';
    for (const [key, child] of Object.entries(record)) {
      if (typeof child === 'string') {
        if (shownKeys.has(key) || (isFact && key === 'value')) found.push(child);
        continue;
      }
      if (hiddenKeys.has(key)) continue;
      visit(child, key);
    }
  };
  visit(payload);
  return found;
}

const catalogueKey = /\b(?:common|tier|status|decision|classification|intake|answer|review|register|failure|slack|teams|cli|obligation|console|api)\.[A-Za-z_]+(?:\.[A-Za-z_]+)*\b/u;
const japaneseScript = /[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]/u;
const properNames = ['EU AI Act', 'ISO/IEC 42001', 'ISO/IEC 23894', 'NIST AI RMF', 'Shishin', 'Slack', 'Teams', 'JSON', 'CSV', 'PoC', 'CE', 'EU', 'AI', 'ID', 'JST', 'UTC'];

function normalise(text: string): string {
  return text
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&amp;/gu, '&')
    .replace(/\\([\\`*_{}[\]()#+\-.!<>~|])/gu, '$1');
}

/** Removes what is not language: markup, links, mentions, emoji, code, ids, URLs, numbers, proper names. */
function withoutNonLanguage(text: string): string {
  let rest = text
    .replace(/<(?:https?|mailto):[^|>]*\|([^>]*)>/gu, '$1')
    .replace(/<[@#!][^>]*>/gu, ' ')
    .replace(/<https?:[^>]*>/gu, ' ')
    .replace(/\[([^\]]*)\]\((?:https?|mailto):[^)]*\)/gu, '$1')
    .replace(/https?:\/\/\S+/gu, ' ')
    .replace(/`[^`]*`/gu, ' ')
    .replace(/:[a-z0-9_+-]+:/gu, ' ')
    .replace(/\bAI-[A-Z0-9]{4,}\b/gu, ' ')
    .replace(/\b[a-z]+:[A-Za-z0-9_.-]+\b/gu, ' ')
    .replace(/\[\d+\]/gu, ' ')
    .replace(/\b[\w-]+\.(?:md|pdf|txt|html|csv|json)\b/gu, ' ');
  for (const name of properNames) rest = rest.split(name).join(' ');
  return rest;
}

export interface ScanOptions {
  /** The reader's language. */
  locale: Locale;
  /** Content shown as it is (what people typed, corpus titles, sections and quotes): never UI. */
  content?: readonly string[];
}

/** What a reader of `locale` should not see in the payload; empty when it is clean. */
export function untranslatedText(payload: unknown, options: ScanOptions): string[] {
  return untranslatedStrings(shownStrings(payload), options);
}

/** Identifiers that are not words: dotted ids (rule ids, host names). */
function withoutIdentifiers(text: string): string {
  return text.replace(/\b[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+\b/gu, ' ');
}

/** What a reader of `locale` should not see among strings shown to them; empty when they are clean. */
export function untranslatedStrings(strings: readonly string[], options: ScanOptions): string[] {
  const problems: string[] = [];
  const content = [...(options.content ?? [])].filter((text) => text.trim() !== '').sort((a, b) => b.length - a.length);
  for (const shown of strings) {
    let text = normalise(shown);
    for (const piece of content) text = text.split(piece).join(' ');
    const key = catalogueKey.exec(withoutNonLanguage(text));
    if (key !== null) problems.push(`untranslated key ${key[0]} in ${JSON.stringify(shown.slice(0, 200))}`);
    if (options.locale !== 'ja') continue;
    for (const segment of withoutIdentifiers(withoutNonLanguage(text)).split(/[\n。．！？!?]|(?<=[a-z])\.(?:\s|$)/u)) {
      if (japaneseScript.test(segment)) continue;
      const words = segment.match(/[A-Za-z]{2,}(?:['’][a-z]+)?/gu) ?? [];
      if (words.length > 0) problems.push(`English in Japanese output: ${JSON.stringify(segment.trim().slice(0, 160))} (in ${JSON.stringify(shown.slice(0, 200))})`);
    }
  }
  return problems;
}

/** Elements whose text is never UI: scripts and styles, what people typed, quotes and code. */
const contentElements = new Set(['script', 'style', 'textarea', 'blockquote', 'q', 'code', 'pre']);
/** Elements without an end tag. */
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Attributes whose values people read (or hear). */
const shownAttributes = ['aria-label', 'title', 'placeholder', 'alt', 'data-thanks', 'data-failed', 'data-busy-label'];

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#96|nbsp);/gu, (_entity, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', nbsp: ' ' })[name] ?? ' ');
}

/**
 * Every string a console page shows its reader of `locale`: text between tags and the attributes
 * people read, leaving out content elements and whatever is marked (`lang`) as another language.
 */
export function shownHtmlStrings(page: string, locale: Locale): string[] {
  const found: string[] = [];
  // Content stays content inside; another language ends where an element names the reader's again.
  const stack: Array<{ name: string; content: boolean; foreign: boolean }> = [];
  const top = () => stack[stack.length - 1];
  const hidden = () => (top()?.content ?? false) || (top()?.foreign ?? false);
  const tokens = /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>|([^<]+)/giu;
  for (const match of page.matchAll(tokens)) {
    const [, closing, opening, attributes = '', text] = match;
    if (closing !== undefined) {
      const index = stack.map((entry) => entry.name).lastIndexOf(closing.toLowerCase());
      if (index >= 0) stack.length = index;
      continue;
    }
    if (opening !== undefined) {
      const name = opening.toLowerCase();
      const values = new Map([...attributes.matchAll(/([^\s=]+)(?:="([^"]*)")?/gu)].map((attribute) => [attribute[1]?.toLowerCase() ?? '', decodeEntities(attribute[2] ?? '')]));
      const language = values.get('lang');
      const entry = {
        name,
        content: (top()?.content ?? false) || contentElements.has(name),
        foreign: language === undefined ? (top()?.foreign ?? false) : language !== locale,
      };
      if (!entry.content && !entry.foreign) for (const attribute of shownAttributes) if (values.has(attribute)) found.push(values.get(attribute) ?? '');
      if (!voidElements.has(name) && !match[0].endsWith('/>')) stack.push(entry);
      continue;
    }
    if (text !== undefined && !hidden() && text.trim() !== '') found.push(decodeEntities(text).trim());
  }
  return found;
}

/** What a reader of `locale` should not see on a console page (HTML); empty when it is clean. */
export function untranslatedHtml(page: string, options: ScanOptions): string[] {
  return untranslatedStrings(shownHtmlStrings(page, options.locale), options);
}
