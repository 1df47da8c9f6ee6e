// The governance dashboard page: headline figures, charts by tier, status, business unit and month
// (server-rendered SVG, each with a data table of the same values), and the re-reviews of the next
// 30 days. Every figure links to the register filtered to it.
import { tierLabels } from '../../../core/presentation/classification-presentation.js';
import { dayOf } from '../../../core/presentation/obligation-presentation.js';
import type { Dashboard } from '../../../core/review/dashboard.js';
import { html, type SafeHtml } from '../html.js';
import { statusBadge, statusLabel, tierBadge } from './intake-pages.js';
import { chartTable, columnChart, horizontalBarChart, type ChartBar, type ChartOptions } from './svg-chart.js';
import { workbenchText as text } from './workbench-text.js';

function headline(label: string, value: number, href: string, detail?: string): SafeHtml {
  return html`<li class="figure"><a href="${href}"><span class="figure-value">${value}</span> <span class="figure-label">${label}</span></a>${
    detail === undefined ? '' : html`<span class="figure-detail">${detail}</span>`
  }</li>`;
}

function chartFigure(chart: ChartOptions, kind: 'bars' | 'columns', labelHeader: string, extra?: string): SafeHtml {
  return html`<figure class="chart-figure" aria-labelledby="${chart.id}-caption">
    <figcaption id="${chart.id}-caption"><h2>${chart.title}</h2></figcaption>
    ${kind === 'bars' ? horizontalBarChart(chart) : columnChart(chart)}
    ${extra === undefined ? '' : html`<p class="help">${extra}</p>`}
    <details class="chart-details"><summary>${chart.title}: ${text.tableCount.toLowerCase()}</summary>${chartTable({ ...chart, labelHeader, valueHeader: text.tableCount })}</details>
  </figure>`;
}

export function dashboardPage(dashboard: Dashboard): SafeHtml {
  const { intakes, obligations, reviews } = dashboard;
  const tierBars: ChartBar[] = intakes.byTier.map((entry) => ({ label: tierLabels[entry.tier], value: entry.count, href: entry.link, tone: `tier-${entry.tier}` }));
  const statusBars: ChartBar[] = intakes.byStatus.map((entry) => ({ label: statusLabel(entry.status), value: entry.count, href: entry.link, tone: `status-${entry.status}` }));
  const unitBars: ChartBar[] = intakes.byBusinessUnit.map((entry) => ({ label: entry.businessUnit, value: entry.count, href: entry.link }));
  const monthBars: ChartBar[] = intakes.overTime.map((entry) => ({ label: entry.month, value: entry.count, href: entry.link }));
  return html`<h1>${text.dashboardTitle}</h1>
  <p class="lead">${text.dashboardIntro}</p>
  <p class="help">${text.dashboardGenerated(dashboard.generatedAt.slice(0, 16).replace('T', ' '))} <a href="/api/dashboard">${text.dashboardJson}</a></p>
  <ul class="figures">
    ${headline(text.figureUseCases, intakes.count, intakes.link)}
    ${headline(text.figureOpenItems, obligations.open, obligations.withOpen.link, text.figureWithOpen(obligations.withOpen.count))}
    ${headline(text.figureOverdueItems, obligations.overdue, obligations.withOverdue.link, text.figureWithOpen(obligations.withOverdue.count))}
    ${headline(text.figureReviewsDue, reviews.due.count, reviews.due.link)}
    ${headline(text.figureReviews30, reviews.next30Days.count, reviews.next30Days.link)}
  </ul>
  <div class="charts">
    ${chartFigure({ id: 'chart-tier', title: text.chartTier, bars: tierBars, unit: text.unitUseCases }, 'bars', text.tableCategory)}
    ${chartFigure({ id: 'chart-status', title: text.chartStatus, bars: statusBars, unit: text.unitUseCases }, 'bars', text.tableCategory)}
    ${chartFigure(
      { id: 'chart-unit', title: text.chartBusinessUnit, bars: unitBars, unit: text.unitUseCases },
      'bars',
      text.tableCategory,
      intakes.otherBusinessUnits > 0 ? text.chartOtherUnits(intakes.otherBusinessUnits) : undefined,
    )}
    ${chartFigure({ id: 'chart-months', title: text.chartOverTime, bars: monthBars, unit: text.unitIntakes }, 'columns', text.tableMonth)}
  </div>
  <section aria-labelledby="upcoming-heading"><h2 id="upcoming-heading">${text.upcomingHeading}</h2>
    ${reviews.upcoming.length === 0
      ? html`<p>${text.upcomingEmpty}</p>`
      : html`<table class="upcoming"><caption>${text.upcomingCaption}</caption>
        <thead><tr><th scope="col">${text.columnId}</th><th scope="col">${text.columnTitle}</th><th scope="col">${text.columnTier}</th><th scope="col">${text.columnStatus}</th><th scope="col">${text.columnNextReview}</th></tr></thead>
        <tbody>${reviews.upcoming.map(
          (row) => html`<tr><td><a href="${row.link}">${row.id}</a></td><td>${row.title}</td><td>${tierBadge(row.tier)}</td><td>${statusBadge(row.status)}</td><td><time datetime="${row.nextReviewAt}">${dayOf(row.nextReviewAt)}</time></td></tr>`,
        )}</tbody></table>`}
  </section>`;
}
