/**
 * The reporting rate per cycle (cycle-record.ts) as an inline SVG bar chart drawn here, with the same numbers in a
 * table beneath it for readers who do not read charts. No script and no external file.
 */
import type { CycleRecord } from '../status/cycle-record';
import { html, type Html } from './html';

const WIDTH = 640;
const HEIGHT = 240;
const TOP = 24;
const BOTTOM = 44;
const LEFT = 40;
const BAR_COLOURS = { reported: '#0b57d0', onTime: '#188038' };

/** Coordinates to a tenth of a unit: enough for a chart, and short to send. */
function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A share as a whole percentage; null when nothing was owed. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 100);
}

function percentText(p: number | null): string {
  return p === null ? '—' : `${p}%`;
}

/** The chart and its table. The last record is the active cycle, still open. */
export function rateChart(records: readonly CycleRecord[]): Html {
  if (records.length === 0) return html`<p class="muted">还没有可统计的报送周期。</p>`;
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT) / records.length;
  const barW = Math.min(28, slot / 3);
  const y = (p: number) => TOP + plotH - (plotH * p) / 100;
  const grid = [0, 50, 100].map(
    (p) => html`<line x1="${LEFT}" x2="${WIDTH}" y1="${y(p)}" y2="${y(p)}" stroke="#d0d7de" stroke-width="1"/><text x="${LEFT - 6}" y="${y(p) + 4}" text-anchor="end" font-size="11" fill="#59636e">${p}%</text>`,
  );
  const bars = records.map((r, i) => {
    const mid = LEFT + slot * i + slot / 2;
    const label = r.cycle.label.replace(/^\d{4}年/, '');
    const active = i === records.length - 1;
    const bar = (p: number | null, x: number, colour: string, what: string) => {
      if (p === null) return html`<text x="${round(x + barW / 2)}" y="${y(0) - 4}" text-anchor="middle" font-size="11" fill="#59636e">—</text>`;
      return html`<rect class="bar" x="${round(x)}" y="${round(y(p))}" width="${round(barW)}" height="${round(y(0) - y(p))}" fill="${colour}"><title>${r.cycle.label}${what} ${p}%</title></rect><text x="${round(x + barW / 2)}" y="${round(y(p) - 4)}" text-anchor="middle" font-size="11" fill="#1f2328">${p}%</text>`;
    };
    return html`<g>${bar(rate(r.reported, r.expected), mid - barW - 1, BAR_COLOURS.reported, '报送率')}${bar(rate(r.onTime, r.expected), mid + 1, BAR_COLOURS.onTime, '按时报送率')}<text x="${round(mid)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="12" fill="#1f2328">${label}</text>${active ? html`<text x="${round(mid)}" y="${HEIGHT - BOTTOM + 32}" text-anchor="middle" font-size="11" fill="#59636e">本期（进行中）</text>` : ''}</g>`;
  });
  const legend = html`<rect x="${LEFT}" y="4" width="12" height="12" fill="${BAR_COLOURS.reported}"/><text x="${LEFT + 16}" y="14" font-size="12" fill="#1f2328">报送率</text><rect x="${LEFT + 80}" y="4" width="12" height="12" fill="${BAR_COLOURS.onTime}"/><text x="${LEFT + 96}" y="14" font-size="12" fill="#1f2328">按时报送率</text>`;
  const rows = records.map(
    (r, i) =>
      html`<tr><td>${r.cycle.label}${i === records.length - 1 ? '（本期）' : ''}</td><td>${r.expected}</td><td>${r.reported}</td><td>${r.onTime}</td><td>${percentText(rate(r.reported, r.expected))}</td><td>${percentText(rate(r.onTime, r.expected))}</td></tr>`,
  );
  return html`<div class="chart"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="各期报送率">${legend}${grid}${bars}</svg></div>
<div class="scroll"><table class="data rates"><thead><tr><th>报送周期</th><th>应报</th><th>已报</th><th>按时</th><th>报送率</th><th>按时报送率</th></tr></thead><tbody>${rows}</tbody></table></div>
<p class="legend">按分工计：每个单位的每项任务每期应报送一次；已报“已完成”的任务此后不再计入。按时指截止日当天结束前报送。</p>`;
}
