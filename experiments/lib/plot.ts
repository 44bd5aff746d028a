/**
 * SVG charts as strings, without a DOM: d3 computes scales, ticks and path data; this file lays
 * out panels, axes and legends and serialises the elements itself. jsdom would only be needed for
 * d3-selection/d3-axis, which are conveniences over what is written out here in a few lines.
 * Every coordinate is printed with a fixed number of decimals, so output is byte-stable.
 */
import { area, line, scaleBand, scaleLinear, scaleLog, schemeTableau10 } from "d3";

export type ScaleKind = "linear" | "log2" | "log10";

export interface Axis {
  label: string;
  scale: ScaleKind;
  /** fixed domain; otherwise from the data (log scales from powers of the base around it) */
  domain?: [number, number];
}

export interface Series {
  name: string;
  points: Array<[number, number]>;
  dashed?: boolean;
  /** palette slot; default is the series' position */
  color?: number;
  /** a shaded band [x, low, high] around the line (e.g. the range over a sensitivity study) */
  band?: Array<[number, number, number]>;
}

export interface LinePanel {
  kind: "line";
  title: string;
  x: Axis;
  y: Axis;
  series: Series[];
}

export interface BarPanel {
  kind: "bar";
  title: string;
  y: Axis;
  /** one bar per category; stacked segments, bottom first */
  categories: Array<{ label: string; group?: string; segments: number[]; /** whisker: [low, high] of the bar's top */ range?: [number, number] }>;
  segmentNames: string[];
}

export type Panel = LinePanel | BarPanel;

export interface Chart {
  title: string;
  panels: Panel[];
  /** panels per row (default: all in one row, at most 3) */
  columns?: number;
}

const PANEL_W = 400;
const PANEL_H = 300;
const M = { top: 34, right: 16, bottom: 46, left: 62 };
const LEGEND_ROW = 16;
const TITLE_H = 30;
const FONT = "font-family=\"Helvetica, Arial, sans-serif\"";

/** Fixed-decimal coordinate text (no "-0"). */
function n(v: number): string {
  const s = v.toFixed(1);
  return s === "-0.0" ? "0.0" : s;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function color(i: number): string {
  return schemeTableau10[i % schemeTableau10.length]!;
}

/** Short deterministic tick label: 1, 0.5, 12k, 1.5M. */
export function tickLabel(v: number): string {
  const a = Math.abs(v);
  const trim = (s: string) => s.replace(/\.0+$/, "").replace(/(\.\d*?)0+$/, "$1");
  if (a >= 1e9) return trim((v / 1e9).toFixed(1)) + "G";
  if (a >= 1e6) return trim((v / 1e6).toFixed(1)) + "M";
  if (a >= 1e4) return trim((v / 1e3).toFixed(1)) + "k";
  if (a >= 1 || a === 0) return trim(v.toFixed(2));
  return trim(v.toPrecision(2));
}

interface NumScale {
  (v: number): number;
  ticks: number[];
}

function makeScale(axis: Axis, values: number[], range: [number, number]): NumScale {
  const finite = values.filter((v) => Number.isFinite(v) && (axis.scale === "linear" || v > 0));
  let lo = finite.length ? Math.min(...finite) : 1;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (axis.domain) [lo, hi] = axis.domain;
  if (axis.scale === "linear") {
    if (!axis.domain) {
      lo = Math.min(0, lo);
      if (hi === lo) hi = lo + 1;
    }
    const s = scaleLinear().domain([lo, hi]).range(range);
    if (!axis.domain) s.nice(6);
    const f = ((v: number) => s(v)) as NumScale;
    f.ticks = s.ticks(6);
    return f;
  }
  const base = axis.scale === "log2" ? 2 : 10;
  if (!axis.domain) {
    // whole powers of the base around the data, so ticks sit at the ends
    lo = Math.pow(base, Math.floor(Math.log(lo) / Math.log(base) + 1e-9));
    hi = Math.pow(base, Math.ceil(Math.log(hi) / Math.log(base) - 1e-9));
    if (hi <= lo) hi = lo * base;
  }
  const s = scaleLog().base(base).domain([lo, hi]).range(range);
  const f = ((v: number) => s(v)) as NumScale;
  // label only whole powers; for a wide base-2 range every other power
  let powers: number[] = [];
  for (let e = Math.round(Math.log(lo) / Math.log(base)); Math.pow(base, e) <= hi * (1 + 1e-9); e++) powers.push(Math.pow(base, e));
  while (powers.length > 8) powers = powers.filter((_, i) => i % 2 === 0);
  f.ticks = powers;
  return f;
}

function axisLines(out: string[], w: number, h: number, xs: NumScale | null, ys: NumScale, xLabel: string, yLabel: string): void {
  out.push(`<g ${FONT} font-size="10" fill="#333">`);
  for (const t of ys.ticks) {
    const y = n(ys(t));
    out.push(`<line x1="0" x2="${n(w)}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="-6" y="${y}" dy="3.5" text-anchor="end">${esc(tickLabel(t))}</text>`);
  }
  if (xs) {
    for (const t of xs.ticks) {
      const x = n(xs(t));
      out.push(`<line x1="${x}" x2="${x}" y1="0" y2="${n(h)}" stroke="#f0f0f0"/>`);
      out.push(`<text x="${x}" y="${n(h + 14)}" text-anchor="middle">${esc(tickLabel(t))}</text>`);
    }
    out.push(`<text x="${n(w / 2)}" y="${n(h + 34)}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`);
  }
  out.push(`<line x1="0" x2="${n(w)}" y1="${n(h)}" y2="${n(h)}" stroke="#333"/>`);
  out.push(`<line x1="0" x2="0" y1="0" y2="${n(h)}" stroke="#333"/>`);
  out.push(`<text transform="translate(${n(-46)},${n(h / 2)}) rotate(-90)" text-anchor="middle" font-size="11">${esc(yLabel)}</text>`);
  out.push(`</g>`);
}

function legend(out: string[], items: Array<{ name: string; color: string; dashed?: boolean }>, w: number, y0: number): number {
  const perRow = Math.max(1, Math.floor(w / 130));
  items.forEach((it, i) => {
    const x = (i % perRow) * 130;
    const y = y0 + Math.floor(i / perRow) * LEGEND_ROW;
    const dash = it.dashed ? ` stroke-dasharray="4 3"` : "";
    out.push(`<line x1="${n(x)}" x2="${n(x + 18)}" y1="${n(y)}" y2="${n(y)}" stroke="${it.color}" stroke-width="2.5"${dash}/>`);
    out.push(`<text x="${n(x + 23)}" y="${n(y)}" dy="3.5" ${FONT} font-size="10" fill="#333">${esc(it.name)}</text>`);
  });
  return Math.ceil(items.length / perRow) * LEGEND_ROW;
}

function legendRows(count: number, w: number): number {
  return Math.ceil(count / Math.max(1, Math.floor(w / 130)));
}

function linePanel(p: LinePanel, w: number, h: number): string[] {
  const out: string[] = [];
  const xs = makeScale(p.x, p.series.flatMap((s) => s.points.map((q) => q[0])), [0, w]);
  const ys = makeScale(p.y, p.series.flatMap((s) => [...s.points.map((q) => q[1]), ...(s.band ?? []).flatMap((q) => [q[1], q[2]])]), [h, 0]);
  axisLines(out, w, h, xs, ys, p.x.label, p.y.label);
  const path = line<[number, number]>()
    .x((d) => xs(d[0]))
    .y((d) => ys(d[1]))
    .digits(1);
  const ok = (q: [number, number]) =>
    Number.isFinite(q[0]) && Number.isFinite(q[1]) && (p.x.scale === "linear" || q[0] > 0) && (p.y.scale === "linear" || q[1] > 0);
  const band = area<[number, number, number]>()
    .x((d) => xs(d[0]))
    .y0((d) => ys(d[1]))
    .y1((d) => ys(d[2]))
    .digits(1);
  const okBand = (q: [number, number, number]) => ok([q[0], q[1]]) && ok([q[0], q[2]]);
  // bands first, under every line
  p.series.forEach((s, i) => {
    const b = s.band?.filter(okBand) ?? [];
    if (b.length > 0) out.push(`<path d="${band(b)}" fill="${color(s.color ?? i)}" fill-opacity="0.2" stroke="none"/>`);
  });
  p.series.forEach((s, i) => {
    const c = color(s.color ?? i);
    const pts = s.points.filter(ok);
    if (pts.length === 0) return;
    const dash = s.dashed ? ` stroke-dasharray="5 4"` : "";
    out.push(`<path d="${path(pts)}" fill="none" stroke="${c}" stroke-width="${s.dashed ? 1.5 : 2}"${dash}/>`);
    if (!s.dashed) for (const q of pts) out.push(`<circle cx="${n(xs(q[0]))}" cy="${n(ys(q[1]))}" r="2.6" fill="${c}"/>`);
  });
  legend(out, p.series.map((s, i) => ({ name: s.name, color: color(s.color ?? i), dashed: s.dashed })), w, h + 52);
  return out;
}

/** Space under a bar panel's plot area for its rotated labels and group names. */
function barLabelSpace(p: BarPanel): number {
  const longest = Math.max(0, ...p.categories.map((c) => c.label.length));
  // 9-px text rotated by 35 degrees: about 3 px of height per character
  return Math.min(90, 14 + longest * 3) + (p.categories.some((c) => c.group !== undefined) ? 16 : 0);
}

function barPanel(p: BarPanel, w: number, h: number): string[] {
  const out: string[] = [];
  const keys = p.categories.map((_, i) => `${i}`);
  const xb = scaleBand().domain(keys).range([0, w]).paddingInner(0.2).paddingOuter(0.1);
  const totals = p.categories.map((c) => c.segments.reduce((a, b) => a + b, 0));
  const ranges = p.categories.flatMap((c) => c.range ?? []);
  const ys = makeScale(p.y, [...(p.y.scale === "linear" ? totals : p.categories.flatMap((c) => c.segments)), ...ranges], [h, 0]);
  axisLines(out, w, h, null, ys, "", p.y.label);
  const stacked = p.segmentNames.length > 1;
  const base = p.y.scale === "linear" ? 0 : (ys.ticks[0] ?? 1);
  const space = barLabelSpace(p);
  p.categories.forEach((c, i) => {
    const x = xb(keys[i]!)!;
    let acc = base;
    c.segments.forEach((v, k) => {
      // log axes draw one segment per bar (stacking is not meaningful on a log scale)
      const top = stacked ? acc + v : v;
      const y0 = ys(stacked ? acc : base);
      const y1 = ys(top);
      if (Number.isFinite(y0) && Number.isFinite(y1)) {
        out.push(`<rect x="${n(x)}" y="${n(Math.min(y0, y1))}" width="${n(xb.bandwidth())}" height="${n(Math.abs(y0 - y1))}" fill="${color(stacked ? k : (c.group === undefined ? 0 : groupIndex(p, c.group)))}"/>`);
      }
      acc = top;
    });
    if (c.range) {
      const [lo, hi] = c.range.map((v) => ys(v));
      if (Number.isFinite(lo) && Number.isFinite(hi)) {
        const cx = x + xb.bandwidth() / 2;
        const cap = Math.min(6, xb.bandwidth() / 3);
        out.push(`<path d="M${n(cx)},${n(lo!)}V${n(hi!)}M${n(cx - cap)},${n(lo!)}H${n(cx + cap)}M${n(cx - cap)},${n(hi!)}H${n(cx + cap)}" stroke="#222" stroke-width="1.2" fill="none"/>`);
      }
    }
    out.push(
      `<text transform="translate(${n(x + xb.bandwidth() / 2)},${n(h + 8)}) rotate(-35)" text-anchor="end" ${FONT} font-size="9" fill="#333">${esc(c.label)}</text>`,
    );
  });
  // group names centred under their bars
  const groups = [...new Set(p.categories.map((c) => c.group).filter((g): g is string => g !== undefined))];
  for (const g of groups) {
    const idx = p.categories.flatMap((c, i) => (c.group === g ? [i] : []));
    const x0 = xb(keys[idx[0]!]!)!;
    const x1 = xb(keys[idx[idx.length - 1]!]!)! + xb.bandwidth();
    out.push(`<text x="${n((x0 + x1) / 2)}" y="${n(h + space)}" text-anchor="middle" ${FONT} font-size="10" font-weight="bold" fill="#333">${esc(g)}</text>`);
  }
  if (stacked) legend(out, p.segmentNames.map((s, k) => ({ name: s, color: color(k) })), w, h + space + 14);
  return out;
}

function groupIndex(p: BarPanel, g: string): number {
  return [...new Set(p.categories.map((c) => c.group))].indexOf(g);
}

export function renderChart(chart: Chart): string {
  const cols = Math.max(1, Math.min(chart.columns ?? Math.min(3, chart.panels.length), chart.panels.length));
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  // height under each panel's plot area: axis labels, then the legend
  const below = (p: Panel) => {
    const items = p.kind === "line" ? p.series.length : p.segmentNames.length > 1 ? p.segmentNames.length : 0;
    const legendH = items > 0 ? legendRows(items, w) * LEGEND_ROW + 8 : 0;
    return (p.kind === "line" ? 52 : barLabelSpace(p) + 14) + legendH;
  };
  const cellH = PANEL_H - M.bottom + Math.max(...chart.panels.map(below));
  const rows = Math.ceil(chart.panels.length / cols);
  const W = cols * PANEL_W;
  const H = TITLE_H + rows * cellH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${n(W / 2)}" y="20" text-anchor="middle" ${FONT} font-size="14" font-weight="bold" fill="#111">${esc(chart.title)}</text>`,
  ];
  chart.panels.forEach((p, i) => {
    const ox = (i % cols) * PANEL_W + M.left;
    const oy = TITLE_H + Math.floor(i / cols) * cellH + M.top;
    out.push(`<g transform="translate(${ox},${oy})">`);
    out.push(`<text x="${n(w / 2)}" y="-12" text-anchor="middle" ${FONT} font-size="12" fill="#111">${esc(p.title)}</text>`);
    out.push(...(p.kind === "line" ? linePanel(p, w, h) : barPanel(p, w, h)));
    out.push(`</g>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
