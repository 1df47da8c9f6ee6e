// Server-rendered SVG charts for the dashboard: horizontal bars (a category each) and columns (a
// month each). No client code. Each chart is an image with a title and a description that states
// every value (role="img"), its bars link to the register for mouse users (hidden from assistive
// technology and the tab order), and the page puts a data table with the same values and
// keyboard-reachable links beside it. Values are drawn as text next to
// the bars, so the chart still reads in print and in greyscale. Texts are in the reader's language.
import type { Locale } from '../../../core/i18n/locale.js';
import { t } from '../../../core/i18n/translate.js';
import { html, type SafeHtml } from '../html.js';

export interface ChartBar {
  label: string;
  value: number;
  /** Where the bar leads (the register filtered to it). */
  href: string;
  /** A CSS class suffix for the bar's colour (`tier-high`, `status-approved`, …). */
  tone?: string;
}

export interface ChartOptions {
  /** Unique on the page; used for the title and description ids. */
  id: string;
  title: string;
  bars: ChartBar[];
  /** What the values count, for the description ("use cases"). */
  unit: string;
  /** The language of the description. */
  locale: Locale;
}

const width = 640;

/** The text alternative: every value, in the reader's language. */
function describe(options: ChartOptions): string {
  const { locale } = options;
  if (options.bars.length === 0) return t(locale, 'console.chart.empty', { unit: options.unit });
  const values = options.bars.map((bar) => t(locale, 'console.chart.value', { label: bar.label, value: bar.value })).join(t(locale, 'console.chart.separator'));
  return t(locale, 'console.chart.description', { values, unit: options.unit });
}

function shorten(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** One bar per category, largest value scaled to the full width. */
export function horizontalBarChart(options: ChartOptions): SafeHtml {
  const rowHeight = 30;
  const labelWidth = 210;
  const barArea = width - labelWidth - 60;
  const height = Math.max(1, options.bars.length) * rowHeight + 10;
  const largest = Math.max(1, ...options.bars.map((bar) => bar.value));
  return html`<svg class="chart" role="img" aria-labelledby="${options.id}-title ${options.id}-desc" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
  <title id="${options.id}-title">${options.title}</title>
  <desc id="${options.id}-desc">${describe(options)}</desc>
  ${options.bars.map((bar, index) => {
    const y = 5 + index * rowHeight;
    const barWidth = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / largest) * barArea));
    return html`<a href="${bar.href}" tabindex="-1" aria-hidden="true" class="chart-link" data-label="${bar.label}">
    <text class="chart-label" x="${labelWidth - 8}" y="${y + 19}" text-anchor="end">${shorten(bar.label, 30)}</text>
    <rect class="chart-bar${bar.tone === undefined ? '' : ` chart-${bar.tone}`}" x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="20" rx="3"></rect>
    <text class="chart-value" x="${labelWidth + barWidth + 6}" y="${y + 19}">${bar.value}</text>
  </a>`;
  })}
</svg>`;
}

/** One column per period (months), oldest on the left. */
export function columnChart(options: ChartOptions): SafeHtml {
  const height = 220;
  const top = 20;
  const bottom = 40;
  const columns = Math.max(1, options.bars.length);
  const slot = (width - 20) / columns;
  const columnWidth = Math.max(8, Math.min(36, slot - 10));
  const largest = Math.max(1, ...options.bars.map((bar) => bar.value));
  const area = height - top - bottom;
  return html`<svg class="chart" role="img" aria-labelledby="${options.id}-title ${options.id}-desc" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
  <title id="${options.id}-title">${options.title}</title>
  <desc id="${options.id}-desc">${describe(options)}</desc>
  <line class="chart-axis" x1="10" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}"></line>
  ${options.bars.map((bar, index) => {
    const x = 10 + index * slot + (slot - columnWidth) / 2;
    const columnHeight = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / largest) * area));
    const y = height - bottom - columnHeight;
    return html`<a href="${bar.href}" tabindex="-1" aria-hidden="true" class="chart-link" data-label="${bar.label}">
    <rect class="chart-bar${bar.tone === undefined ? '' : ` chart-${bar.tone}`}" x="${x.toFixed(1)}" y="${y}" width="${columnWidth.toFixed(1)}" height="${columnHeight}" rx="2"></rect>
    <text class="chart-value" x="${(x + columnWidth / 2).toFixed(1)}" y="${y - 5}" text-anchor="middle">${bar.value}</text>
    <text class="chart-label chart-small" x="${(x + columnWidth / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${bar.label}</text>
  </a>`;
  })}
</svg>`;
}

/** The chart's values as a table with links: the keyboard and screen-reader way into the register. */
export function chartTable(options: ChartOptions & { labelHeader: string; valueHeader: string }): SafeHtml {
  return html`<table class="chart-data"><caption>${options.title}</caption>
    <thead><tr><th scope="col">${options.labelHeader}</th><th scope="col">${options.valueHeader}</th></tr></thead>
    <tbody>${options.bars.map((bar) => html`<tr><th scope="row"><a href="${bar.href}">${bar.label}</a></th><td>${bar.value}</td></tr>`)}</tbody>
  </table>`;
}
