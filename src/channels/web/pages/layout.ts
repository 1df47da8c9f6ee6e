// The console's page frame: navigation, the development identity banner and switcher, and the
// document skeleton (language, viewport, stylesheet, enhancement script).
import { html, type SafeHtml } from '../html.js';
import { workbenchText } from './workbench-text.js';

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
}

export interface PageOptions {
  title: string;
  context: PageContext;
  body: SafeHtml;
  /** A one-line status message shown at the top (role=status). */
  notice?: string;
}

function navigation(context: PageContext): SafeHtml {
  const items: Array<[string, string, boolean]> = [
    ['/console/ask', 'Ask', true],
    ['/console/intakes/new', 'New intake', true],
    ['/console/intakes', 'My intakes', true],
    ['/console/obligations', workbenchText.navObligations, true],
    ['/console/queue', 'Review queue', context.governanceMember],
    ['/console/register', 'Register', true],
    ['/console/documents', 'Documents', true],
    ['/console/dashboard', workbenchText.navDashboard, context.governanceMember],
  ];
  return html`<nav aria-label="Main"><ul>${items
    .filter(([, , shown]) => shown)
    .map(([href, label]) => {
      const current = context.currentPath === href;
      return html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`;
    })}</ul></nav>`;
}

function identityBar(context: PageContext): SafeHtml {
  if (!context.developmentMode) {
    if (context.user === notSignedIn) return html`<p class="identity">Not signed in</p>`;
    return html`<p class="identity">Signed in as <strong>${context.user}</strong>${context.governanceMember ? ' (governance member)' : ''}</p>`;
  }
  return html`<div class="identity development" role="note">
    <p>Development identity: <strong>${context.user}</strong>${context.governanceMember ? ' (governance member)' : ''} — not for production</p>
    <form method="post" action="/console/dev-identity" class="inline-form">
      <input type="hidden" name="_csrf" value="${context.csrfToken}">
      <input type="hidden" name="returnTo" value="${context.currentPath}">
      <label for="dev-identity">Act as</label>
      <input id="dev-identity" name="user" value="${context.user}" size="16" autocomplete="off" required>
      <button type="submit">Switch</button>
    </form>
  </div>`;
}

export function renderPage(options: PageOptions): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Shishin</title>
<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <p class="brand"><a href="/console/ask">Shishin <span lang="ja">指針</span></a></p>
  ${navigation(options.context)}
  ${identityBar(options.context)}
</header>
<main id="main" tabindex="-1">
${options.notice === undefined ? '' : html`<p class="notice" role="status">${options.notice}</p>`}
${options.body}
</main>
<footer class="site-footer"><p>Shishin answers from the governance corpus and cites its sources. It is not legal advice; the governance team decides.</p></footer>
</body>
</html>`.value}`;
}
