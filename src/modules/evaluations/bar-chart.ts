/**
 * A horizontal bar chart as inline SVG, rendered on the server (no script, no inline style: colours and sizes
 * are presentation attributes, which the content security policy allows). Accessible: role="img" with a
 * <title> and an aria-label that reads out every bar; the page puts the same figures in a data table.
 */
import { html, raw, type Html } from '../../http/html.ts';

export interface Bar {
  label: string;
  value: number; // the bar's length, in the chart's unit
  display: string; // what is written after the bar ("12 条", "85.0%")
  colour: string;
}

export interface BarChartOptions {
  id: string;
  title: string;
  bars: Bar[];
  /** The value of a full-length bar (defaults to the largest value). */
  max?: number;
  /** Width of the label column in the chart's units (the chart is 560 wide and scales to its container). */
  labelWidth?: number;
  /** Longest label written in the chart (longer ones end in …; the table has them whole). */
  labelChars?: number;
}

const WIDTH = 560;
const ROW = 34;
const BAR = 22;
const TOP = 8;
const VALUE_WIDTH = 76;
const INK = '#1b1b1b';
const AXIS = '#5a5f66';

function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}

/** A number as an SVG coordinate (at most one decimal). */
const c = (n: number) => String(Math.round(n * 10) / 10);

export function barChart(o: BarChartOptions): Html {
  const labelWidth = o.labelWidth ?? 120;
  const plot = WIDTH - labelWidth - VALUE_WIDTH;
  const max = o.max ?? Math.max(0, ...o.bars.map((b) => b.value));
  const height = TOP * 2 + Math.max(1, o.bars.length) * ROW;
  const summary = `${o.title}：${o.bars.map((b) => `${b.label} ${b.display}`).join('；') || '暂无数据'}`;
  return html`<svg class="chart" id="${o.id}" role="img" aria-label="${summary}" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" font-size="14" font-family="sans-serif">
<title>${summary}</title>
<line x1="${labelWidth}" y1="${TOP - 2}" x2="${labelWidth}" y2="${c(height - TOP + 2)}" stroke="${AXIS}" stroke-width="1"/>
${o.bars.length === 0 ? html`<text x="${labelWidth + 8}" y="${TOP + ROW / 2 + 5}" fill="${INK}">暂无数据</text>` : ''}
${o.bars.map((b, i) => {
  const y = TOP + i * ROW + (ROW - BAR) / 2;
  const w = max > 0 ? (Math.max(0, b.value) / max) * plot : 0;
  const mid = c(y + BAR / 2 + 5);
  return html`<g aria-hidden="true">
<text x="${labelWidth - 8}" y="${mid}" text-anchor="end" fill="${INK}">${clip(b.label, o.labelChars ?? 12)}</text>
<rect x="${labelWidth}" y="${c(y)}" width="${c(Math.max(w, b.value > 0 ? 2 : 0))}" height="${BAR}" fill="${b.colour}"${raw(b.value > 0 ? '' : ' fill-opacity="0"')}/>
<text x="${c(labelWidth + w + 6)}" y="${mid}" fill="${INK}">${b.display}</text>
</g>`;
})}
</svg>`;
}

/** Colours with at least 3:1 contrast against white (WCAG 1.4.11), and text that never relies on them alone. */
export const GRADE_COLOURS = { good: '#1d6b3a', neutral: '#8a5a00', bad: '#b3261e' } as const;
export const BRAND_COLOUR = '#1a4f8b';
