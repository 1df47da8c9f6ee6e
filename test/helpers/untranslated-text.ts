// Finds what a reader of one language should never see in a rendered chat payload (Slack blocks,
// Teams activities and Adaptive Cards): a catalogue key that was never translated, and — for a
// Japanese reader — a sentence written only in ASCII. Content is not UI: what the user typed, corpus
// titles, sections and quotes are passed in and left out; ids, codes, URLs, mentions, emoji codes,
// code spans and a few proper names ("EU AI Act", "ISO/IEC 42001", "Shishin") are allowed.
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

const catalogueKey = /\b(?:common|tier|status|decision|classification|intake|answer|review|register|failure|slack|teams|cli)\.[A-Za-z_]+(?:\.[A-Za-z_]+)*\b/u;
const japaneseScript = /[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]/u;
const properNames = ['EU AI Act', 'ISO/IEC 42001', 'ISO/IEC 23894', 'NIST AI RMF', 'Shishin', 'Slack', 'Teams', 'JSON', 'PoC', 'CE', 'EU', 'AI', 'ID', 'JST', 'UTC'];

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
    .replace(/\[\d+\]/gu, ' ');
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
  const problems: string[] = [];
  const content = [...(options.content ?? [])].filter((text) => text.trim() !== '').sort((a, b) => b.length - a.length);
  for (const shown of shownStrings(payload)) {
    let text = normalise(shown);
    for (const piece of content) text = text.split(piece).join(' ');
    const key = catalogueKey.exec(withoutNonLanguage(text));
    if (key !== null) problems.push(`untranslated key ${key[0]} in ${JSON.stringify(shown.slice(0, 200))}`);
    if (options.locale !== 'ja') continue;
    for (const segment of withoutNonLanguage(text).split(/[\n。．！？!?]|(?<=[a-z])\.(?:\s|$)/u)) {
      if (japaneseScript.test(segment)) continue;
      const words = segment.match(/[A-Za-z]{2,}(?:['’][a-z]+)?/gu) ?? [];
      if (words.length > 0) problems.push(`English in Japanese output: ${JSON.stringify(segment.trim().slice(0, 160))} (in ${JSON.stringify(shown.slice(0, 200))})`);
    }
  }
  return problems;
}
