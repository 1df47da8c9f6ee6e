// The governance dashboard page: headline figures, charts by tier, status, business unit and month
// (server-rendered SVG, each with a data table of the same values), and the re-reviews of the next
// 30 days. Every figure links to the register filtered to it. Words in the reader's language.
import { formatDateTime } from '../../../core/i18n/date-format.js';
import { t } from '../../../core/i18n/translate.js';
import { tierLabel } from '../../../core/presentation/classification-presentation.js';
import { dayOf } from '../../../core/presentation/obligation-presentation.js';
import type { Dashboard } from '../../../core/review/dashboard.js';
import { html, type SafeHtml } from '../html.js';
import { statusBadge, statusLabel, tierBadge } from './intake-pages.js';
import type { Reader } from './reader.js';
import { chartTable, columnChart, horizontalBarChart, type ChartBar, type ChartOptions } from './svg-chart.js';

function headline(label: string, value: number, href: string, detail?: string): SafeHtml {
  return html`<li class="figure"><a href="${href}"><span class="figure-value">${value}</span> <span class="figure-label">${label}</span></a>${
    detail === undefined ? '' : html`<span class="figure-detail">${detail}</span>`
  }</li>`;
}

function chartFigure(chart: ChartOptions, kind: 'bars' | 'columns', labelHeader: string, extra?: string): SafeHtml {
  const { locale } = chart;
  return html`<figure class="chart-figure" aria-labelledby="${chart.id}-caption">
    <figcaption id="${chart.id}-caption"><h2>${chart.title}</h2></figcaption>
    ${kind === 'bars' ? horizontalBarChart(chart) : columnChart(chart)}
    ${extra === undefined ? '' : html`<p class="help">${extra}</p>`}
    <details class="chart-details"><summary>${t(locale, 'console.dashboard.tableSummary', { title: chart.title })}</summary>${chartTable({
      ...chart,
      labelHeader,
      valueHeader: t(locale, 'console.column.count'),
    })}</details>
  </figure>`;
}

export function dashboardPage(dashboard: Dashboard, reader: Reader): SafeHtml {
  const { locale } = reader;
  const { intakes, obligations, reviews } = dashboard;
  const tierBars: ChartBar[] = intakes.byTier.map((entry) => ({ label: tierLabel(locale, entry.tier), value: entry.count, href: entry.link, tone: `tier-${entry.tier}` }));
  const statusBars: ChartBar[] = intakes.byStatus.map((entry) => ({ label: statusLabel(entry.status, locale), value: entry.count, href: entry.link, tone: `status-${entry.status}` }));
  const unitBars: ChartBar[] = intakes.byBusinessUnit.map((entry) => ({ label: entry.businessUnit, value: entry.count, href: entry.link }));
  const monthBars: ChartBar[] = intakes.overTime.map((entry) => ({ label: entry.month, value: entry.count, href: entry.link }));
  const useCases = t(locale, 'console.dashboard.unitUseCases');
  const category = t(locale, 'console.column.category');
  return html`<h1>${t(locale, 'console.dashboard.title')}</h1>
  <p class="lead">${t(locale, 'console.dashboard.intro')}</p>
  <p class="help">${t(locale, 'console.dashboard.generated', { at: formatDateTime(dashboard.generatedAt, locale, reader.timeZone) })} <a href="/api/dashboard">${t(
    locale,
    'console.dashboard.json',
  )}</a></p>
  <ul class="figures">
    ${headline(t(locale, 'console.dashboard.useCases'), intakes.count, intakes.link)}
    ${headline(t(locale, 'console.dashboard.openItems'), obligations.open, obligations.withOpen.link, t(locale, 'console.dashboard.inUseCases', { count: obligations.withOpen.count }))}
    ${headline(t(locale, 'console.dashboard.overdueItems'), obligations.overdue, obligations.withOverdue.link, t(locale, 'console.dashboard.inUseCases', { count: obligations.withOverdue.count }))}
    ${headline(t(locale, 'console.dashboard.reviewsDue'), reviews.due.count, reviews.due.link)}
    ${headline(t(locale, 'console.dashboard.reviews30'), reviews.next30Days.count, reviews.next30Days.link)}
  </ul>
  <div class="charts">
    ${chartFigure({ id: 'chart-tier', title: t(locale, 'console.dashboard.chartTier'), bars: tierBars, unit: useCases, locale }, 'bars', category)}
    ${chartFigure({ id: 'chart-status', title: t(locale, 'console.dashboard.chartStatus'), bars: statusBars, unit: useCases, locale }, 'bars', category)}
    ${chartFigure(
      { id: 'chart-unit', title: t(locale, 'console.dashboard.chartBusinessUnit'), bars: unitBars, unit: useCases, locale },
      'bars',
      category,
      intakes.otherBusinessUnits > 0 ? t(locale, 'console.dashboard.otherUnits', { count: intakes.otherBusinessUnits }) : undefined,
    )}
    ${chartFigure(
      { id: 'chart-months', title: t(locale, 'console.dashboard.chartOverTime'), bars: monthBars, unit: t(locale, 'console.dashboard.unitIntakes'), locale },
      'columns',
      t(locale, 'console.column.month'),
    )}
  </div>
  <section aria-labelledby="upcoming-heading"><h2 id="upcoming-heading">${t(locale, 'console.dashboard.upcomingHeading')}</h2>
    ${reviews.upcoming.length === 0
      ? html`<p>${t(locale, 'console.dashboard.upcomingEmpty')}</p>`
      : html`<table class="upcoming"><caption>${t(locale, 'console.dashboard.upcomingCaption')}</caption>
        <thead><tr><th scope="col">${t(locale, 'console.column.id')}</th><th scope="col">${t(locale, 'console.column.title')}</th><th scope="col">${t(locale, 'console.column.tier')}</th><th scope="col">${t(
          locale,
          'console.column.status',
        )}</th><th scope="col">${t(locale, 'console.column.nextReview')}</th></tr></thead>
        <tbody>${reviews.upcoming.map(
          (row) =>
            html`<tr><td><a href="${row.link}">${row.id}</a></td><td>${row.title}</td><td>${tierBadge(row.tier, locale)}</td><td>${statusBadge(row.status, locale)}</td><td><time datetime="${row.nextReviewAt}">${dayOf(row.nextReviewAt)}</time></td></tr>`,
        )}</tbody></table>`}
  </section>`;
}
