// Text that reviewable data files carry in every language (rules, obligations, flags, text signals):
// `{ en: "…", ja: "…" }`. A text missing a language is refused, so no reader meets another language.
import { z } from 'zod';
import { locales, type Locale } from './locale.js';

/** One text in every supported language. */
export type LocalizedText = Record<Locale, string>;

const languageList = locales.join(' and ');

/**
 * The schema of a text in every language: an object with a non-empty string per language (and only
 * those), optionally checked further by `refine` on each language's text.
 */
export function localizedTextSchema(refine?: { check: (text: string) => boolean; message: string }) {
  const one = (locale: Locale) => {
    const text = z
      .string({ error: (issue) => (issue.input === undefined ? `the ${locale} text is missing (give it in ${languageList})` : `the ${locale} text must be a string`) })
      .trim()
      .min(1, `the ${locale} text is empty`);
    return refine === undefined ? text : text.refine(refine.check, refine.message);
  };
  const shape = Object.fromEntries(locales.map((locale) => [locale, one(locale)])) as Record<Locale, ReturnType<typeof one>>;
  return z.object(shape, { error: () => `must give the text in every language: { ${locales.map((locale) => `${locale}: "…"`).join(', ')} }` }).strict() as unknown as z.ZodType<LocalizedText>;
}
