// `shishin export --format csv|json [--output FILE]`: writes the AI use-case register (one row per
// intake version) from the configured store; `--dashboard` writes the dashboard's figures instead.
// Needs no corpus index.
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { buildDashboard } from '../core/review/dashboard.js';
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
       shishin export --dashboard [--output FILE]

Exports the AI use-case register: id, title, business unit, owner, risk tier, status, decided by and
at, the decision comment, obligations, what to ask the vendor, version and submission time, then the
tracked obligation items (open, done, not applicable, overdue), the next review date, the newer
version that replaced it, if any, and the tier and status in words; one row per intake version,
oldest first. CSV follows RFC 4180 (obligations joined with "; "; cells that a spreadsheet would run
as formulas get a leading apostrophe). Without --output it goes to stdout.
--lang ja|en words the headers, tier and status labels, obligations and vendor asks (default: LANG,
else DEFAULT_LOCALE); ids and codes are the same in every language, so registers join row by row.
Times are ISO 8601 in DISPLAY_TIME_ZONE (default: Asia/Tokyo for ja, UTC for en).
--dashboard writes the dashboard's figures instead (the JSON of GET /api/dashboard).
`;

const outputOption = z.string().trim().min(1, '--output needs a file name').optional();
const langOption = z.enum(locales, { error: () => `--lang must be one of ${locales.join(', ')}` }).optional();
const optionsSchema = z.union([
  z.object({
    format: z.enum(['csv', 'json'], { error: () => '--format must be csv or json' }),
    output: outputOption,
    lang: langOption,
    dashboard: z.undefined(),
  }),
  z.object({
    format: z.undefined({ error: () => '--dashboard takes no --format (it is JSON)' }),
    output: outputOption,
    lang: langOption,
    dashboard: z.literal(true),
  }),
]);

export async function run(args: string[]): Promise<number> {
  const parsedArgs = parseCommandLine({ args, options: { format: { type: 'string' }, output: { type: 'string' }, lang: { type: 'string' }, dashboard: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }, help, {
    output: process.stdout,
    errors: process.stderr,
  });
  if (typeof parsedArgs === 'number') return parsedArgs;
  const { values } = parsedArgs;
  const parsed = optionsSchema.safeParse({ format: values.format, output: values.output, lang: values.lang, dashboard: values.dashboard });
  if (!parsed.success) {
    const messages = values.format === undefined && values.dashboard !== true ? ['--format must be csv or json'] : [...new Set(parsed.error.issues.map((issue) => issue.message))];
    process.stderr.write(`${messages.join('\n')}\n\n${help}`);
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
    const now = new Date();
    let rows;
    try {
      const [records, items] = [await store.listIntakes({ order: 'oldest' }), await store.listObligationItems()];
      rows =
        format === undefined
          ? toRegisterRows(records, { items, now })
          : toRegisterRows(records, {
              locale,
              ...(texts === undefined ? {} : { localize: (classification) => texts.localize(classification, locale) }),
              timeZone: displayTimeZone(locale, config.locale.displayTimeZone),
              items,
              now,
            });
    } finally {
      await store.close();
    }
    const text = format === undefined ? `${JSON.stringify(buildDashboard(rows, now), null, 2)}\n` : format === 'csv' ? formatRegisterCsv(rows, locale) : formatRegisterJson(rows);
    if (output === undefined) process.stdout.write(text);
    else {
      await writeFile(output, text, 'utf8');
      process.stderr.write(format === undefined ? `Wrote the dashboard figures of ${rows.length} register rows to ${output}.\n` : `Wrote ${rows.length} register rows to ${output}.\n`);
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
