// Who a Teams message or card is for: its language and the time zone its dates are shown in. A
// person's language is their activity's locale (Teams sends the client's language with every
// activity), else DEFAULT_LOCALE; the governance conversation speaks REVIEW_LOCALE.
import type { Activity } from 'botbuilder';
import { classificationWithLinks } from '../../core/presentation/classification-presentation.js';
import type { AppContext } from '../../app-context.js';
import { displayTimeZone } from '../../core/i18n/date-format.js';
import { localeFromTag, type Locale } from '../../core/i18n/locale.js';
import type { IntakeRecord } from '../../core/review/review-types.js';

export interface TeamsReader {
  locale: Locale;
  timeZone: string;
}

/** The reader whose language is `locale` (DEFAULT_LOCALE when undefined), with the configured display time zone. */
export function teamsReader(app: AppContext, locale: Locale | undefined): TeamsReader {
  const chosen = locale ?? app.config.locale.default;
  return { locale: chosen, timeZone: displayTimeZone(chosen, app.config.locale.displayTimeZone) };
}

/** The sender of an activity as a reader: the activity's locale, else DEFAULT_LOCALE. */
export function activityReader(app: AppContext, activity: Partial<Activity>): TeamsReader {
  return teamsReader(app, localeFromTag(activity.locale));
}

/** The governance conversation as a reader: REVIEW_LOCALE. */
export function reviewConversationReader(app: AppContext): TeamsReader {
  return teamsReader(app, app.config.locale.review);
}

/** The record with its classification's texts in the reader's language and its citations linked for Teams. */
export function recordForReader(app: AppContext, record: IntakeRecord, reader: TeamsReader): IntakeRecord {
  return { ...record, classification: classificationWithLinks(app.intakes.localize(record.classification, reader.locale), app.config.publicUrl) };
}
