// `shishin export --format csv|json [--output FILE]`: writes the AI use-case register (one row per
// intake version) from the configured store. Needs no corpus index.
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { displayTimeZone } from '../core/i18n/date-format.js';
import { locales } from '../core/i18n/locale.js';
import { createClassificationTexts } from '../core/intake/classification-texts.js';
import { loadRules, textSignalsBesideRules } from '../core/intake/classifier.js';
import { toRegisterRows, formatRegisterCsv, formatRegisterJson } from '../core/review/register-format.js';
import { isShishinError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createStore } from '../providers/store/create-store.js';
import { commandLocale, parseCommandLine } from './command-line.js';

const help = `Usage: shishin export --format csv|json [--output FILE] [--lang ja|en]

Exports the AI use-case register: id, title, business unit, owner, risk tier, status, decided by and
at, obligations, version and submission time, one row per intake version, oldest first, then the
tier and status in words.
CSV follows RFC 4180 (obligations joined with "; "; cells that a spreadsheet would run as formulas
get a leading apostrophe). Without --output the register goes to stdout.
--lang ja|en words the headers, tier and status labels, obligations and vendor asks (default: LANG,
else DEFAULT_LOCALE); ids and codes are the same in every language, so registers join row by row.
Times are ISO 8601 in DISPLAY_TIME_ZONE (default: Asia/Tokyo for ja, UTC for en).
`;

const optionsSchema = z.object({
  format: z.enum(['csv', 'json'], { error: () => '--format must be csv or json' }),
  output: z.string().trim().min(1, '--output needs a file name').optional(),
  lang: z.enum(locales, { error: () => `--lang must be one of ${locales.join(', ')}` }).optional(),
});

export async function run(args: string[]): Promise<number> {
  const parsedArgs = parseCommandLine({ args, options: { format: { type: 'string' }, output: { type: 'string' }, lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }, help, {
    output: process.stdout,
    errors: process.stderr,
  });
  if (typeof parsedArgs === 'number') return parsedArgs;
  const { values } = parsedArgs;
  const parsed = optionsSchema.safeParse({ format: values.format, output: values.output, lang: values.lang });
  if (!parsed.success) {
    process.stderr.write(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n\n${help}`);
    return 2;
  }
  const { format, output } = parsed.data;
  try {
    const config = loadConfig();
    const locale = commandLocale(parsed.data.lang);
    // Texts in another language come from the rules files by id; English is stored with each intake.
    const texts = locale === 'en' ? undefined : (() => {
      const rules = loadRules(config.rulesFile);
      return createClassificationTexts(rules, textSignalsBesideRules(rules));
    })();
    const store = await createStore(config, createLogger({ level: 'warn', destination: process.stderr }));
    let rows;
    try {
      rows = toRegisterRows(await store.listIntakes({ order: 'oldest' }), {
        locale,
        ...(texts === undefined ? {} : { localize: (classification) => texts.localize(classification, locale) }),
        timeZone: displayTimeZone(locale, config.locale.displayTimeZone),
      });
    } finally {
      await store.close();
    }
    const text = format === 'csv' ? formatRegisterCsv(rows, locale) : formatRegisterJson(rows);
    if (output === undefined) process.stdout.write(text);
    else {
      await writeFile(output, text, 'utf8');
      process.stderr.write(`Wrote ${rows.length} register rows to ${output}.\n`);
    }
    return 0;
  } catch (error) {
    if (isShishinError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
