// The console's page frame: navigation, the language switch, the development identity banner and
// switcher, and the document skeleton (language, viewport, stylesheet, enhancement script). Every
// word comes from the message catalogue in the reader's language (PageContext.locale).
import { localeNames, locales, type Locale } from '../../../core/i18n/locale.js';
import { localeQueryParameter } from '../../../core/i18n/resolve-locale.js';
import { t } from '../../../core/i18n/translate.js';
import { html, type SafeHtml } from '../html.js';
import { tHtml } from '../translate-html.js';

/** The `user` of a page context when the request carries no identity (e.g. the sign-in error page). */
export const notSignedIn = 'not signed in';

export interface PageContext {
  /** The acting user, e.g. `web:alice`. */
  user: string;
  governanceMember: boolean;
  developmentMode: boolean;
  csrfToken: string;
  /** Path of the current page, for the "current" marker in the navigation and redirects back. */
  currentPath: string;
  /** The current page's query string without `lang` (e.g. `tier=high&latest=1`), kept by the language switch. */
  currentQuery?: string;
  /** The reader's language: every word of the page is in it. */
  locale: Locale;
  /** The time zone dates are shown in (DISPLAY_TIME_ZONE, else the reader's language's default). */
  timeZone: string;
}

export interface PageOptions {
  title: string;
  context: PageContext;
  body: SafeHtml;
  /** A one-line status message shown at the top (role=status). */
  notice?: string;
}

function navigation(context: PageContext): SafeHtml {
  const { locale } = context;
  const items: Array<[string, string, boolean]> = [
    ['/console/ask', t(locale, 'console.nav.ask'), true],
    ['/console/intakes/new', t(locale, 'console.nav.newIntake'), true],
    ['/console/intakes', t(locale, 'console.nav.myIntakes'), true],
    ['/console/obligations', t(locale, 'console.nav.myObligations'), true],
    ['/console/queue', t(locale, 'console.nav.queue'), context.governanceMember],
    ['/console/register', t(locale, 'console.nav.register'), true],
    ['/console/documents', t(locale, 'console.nav.documents'), true],
    ['/console/dashboard', t(locale, 'console.nav.dashboard'), context.governanceMember],
  ];
  return html`<nav aria-label="${t(locale, 'console.layout.mainNavigation')}"><ul>${items
    .filter(([, , shown]) => shown)
    .map(([href, label]) => {
      const current = context.currentPath === href;
      return html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`;
    })}</ul></nav>`;
}

/** This page in another language: the same path and query with `lang` set (which also sets the cookie). */
export function languageHref(context: Pick<PageContext, 'currentPath' | 'currentQuery'>, locale: Locale): string {
  const query = new URLSearchParams(context.currentQuery ?? '');
  query.delete(localeQueryParameter);
  query.set(localeQueryParameter, locale);
  return `${context.currentPath}?${query.toString()}`;
}

/** The language switch: each language named in itself, the current one marked. */
function languageSwitch(context: PageContext): SafeHtml {
  return html`<nav class="language-switch" aria-label="${t(context.locale, 'console.layout.languageNavigation')}"><ul>${locales.map(
    (locale) =>
      html`<li><a href="${languageHref(context, locale)}" lang="${locale}" hreflang="${locale}" data-locale="${locale}"${
        locale === context.locale ? html` aria-current="true"` : ''
      }>${localeNames[locale]}</a></li>`,
  )}</ul></nav>`;
}

function identityBar(context: PageContext): SafeHtml {
  const { locale } = context;
  const user = html`<strong>${context.user}</strong>`;
  if (!context.developmentMode) {
    if (context.user === notSignedIn) return html`<p class="identity">${t(locale, 'console.layout.notSignedIn')}</p>`;
    return html`<p class="identity">${
      context.governanceMember ? tHtml(locale, 'console.layout.signedInAsMember', { user }) : tHtml(locale, 'console.layout.signedInAs', { user })
    }</p>`;
  }
  return html`<div class="identity development" role="note">
    <p>${context.governanceMember ? tHtml(locale, 'console.layout.developmentIdentityMember', { user }) : tHtml(locale, 'console.layout.developmentIdentity', { user })}</p>
    <form method="post" action="/console/dev-identity" class="inline-form">
      <input type="hidden" name="_csrf" value="${context.csrfToken}">
      <input type="hidden" name="returnTo" value="${context.currentPath}">
      <label for="dev-identity">${t(locale, 'console.layout.actAs')}</label>
      <input id="dev-identity" name="user" value="${context.user}" size="16" autocomplete="off" required>
      <button type="submit">${t(locale, 'console.layout.switchIdentity')}</button>
    </form>
  </div>`;
}

export function renderPage(options: PageOptions): string {
  const { locale } = options.context;
  return `<!doctype html>\n${html`<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(locale, 'console.layout.title', { title: options.title })}</title>
<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${t(locale, 'console.layout.skipLink')}</a>
<header class="site-header">
  <p class="brand"><a href="/console/ask">Shishin <span lang="ja">指針</span></a></p>
  ${navigation(options.context)}
  ${languageSwitch(options.context)}
  ${identityBar(options.context)}
</header>
<main id="main" tabindex="-1">
${options.notice === undefined ? '' : html`<p class="notice" role="status">${options.notice}</p>`}
${options.body}
</main>
<footer class="site-footer"><p>${t(locale, 'console.layout.footer')}</p></footer>
</body>
</html>`.value}`;
}
