// The selected zone's last hour: its 1-minute windows from /api/timeseries, drawn with uPlot (the
// global uPlot of its WebJar's script): the zone's value, the min–max range where the value is a
// mean, time and unit on the axes; a missing minute breaks the line. The hour ends at the data's
// clock (the newest window end the page holds), so a replay of old data is charted too.
// The reference values of /api/config are an SVG layer over the plot, dashed lines with their
// labels, with the latest value; the layer also describes the chart to screen readers (the
// canvas cannot) and says how many windows it shows (data-points).

import { getJson, query } from './api.js';
import { hexToRgb } from './colours.js';
import { formatValue, metric } from './config.js';
import { $, escapeHtml } from './dom.js';
import { clock, formatTick } from './format.js';

const MINUTE = 60e3;
const HOUR = 60 * MINUTE;
const REFRESH_MILLIS = 30_000;
/** Height over width of the plot. */
const ASPECT = 260 / 560;
const SVG = 'http://www.w3.org/2000/svg';

let shown = null; // { zone: {zoneKind, zoneId, name}, metricId }
let plot = null;
let refreshTimer = null;
let requests = 0; // so that only the newest request draws
let dataClock = () => 0;

/** `clock()` gives the data's clock in epoch ms (0 without data: then now). */
export function initChart(clock) {
  dataClock = clock;
  let width = 0;
  new ResizeObserver(() => {
    const w = $('chart').clientWidth;
    if (plot && w !== width) plot.setSize(size());
    width = w;
  }).observe($('chart'));
}

/** Opens the panel on `zone`'s last hour of `metricId`, refreshed every 30 s. */
export function showChart(zone, metricId) {
  shown = { zone, metricId };
  const panel = $('chart-panel');
  if (panel.hidden) {
    panel.hidden = false;
    panel.scrollIntoView({ block: 'nearest' });
  }
  clearInterval(refreshTimer);
  refreshTimer = setInterval(load, REFRESH_MILLIS);
  load();
}

/** Whether the chart shows the zone and metric of these feature properties. */
export const chartShows = (p) =>
  shown != null && p.metric === shown.metricId && p.zone_kind === shown.zone.zoneKind
  && p.zone_id === shown.zone.zoneId;

/** Loads and draws the chart again (a new window of its zone came in). */
export function refreshChart() {
  if (shown) load();
}

export function closeChart() {
  shown = null;
  requests++;
  clearInterval(refreshTimer);
  refreshTimer = null;
  $('chart-panel').hidden = true;
  clearChart();
}

async function load() {
  if (!shown) return;
  const { zone, metricId } = shown;
  const request = ++requests;
  const end = dataClock() || Date.now();
  const start = end - HOUR;
  $('chart-title').textContent = `${zone.name}: ${metric(metricId).label}, last hour`;
  try {
    const series = await getJson(`/api/timeseries?${query({
      metric: metricId, zone_kind: zone.zoneKind, zone_id: zone.zoneId, window_length: '1m',
      datetime: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`,
    })}`);
    if (request === requests) draw(series, metricId, start, end);
  } catch (e) {
    if (request === requests) showNote(`No history: ${e.message}`);
  }
}

function draw(series, metricId, start, end) {
  if (!window.uPlot) {
    showNote('The chart library did not load (/webjars/uplot/): check the dashboard build');
    return;
  }
  const m = metric(metricId);
  const withRange = m.value === 'mean';
  const points = (series.points || [])
    .map((p) => ({ t: Date.parse(p.t), v: p[m.value], lo: p.min, hi: p.max }))
    .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
    .sort((a, b) => a.t - b.t);
  if (!points.length) {
    showNote('No readings in this zone in the last hour.');
    return;
  }
  const { ticks, thresholds } = valueAxis(points, m, withRange);
  const data = aligned(points, withRange);
  const marked = markedPoints(data[1]);
  const style = getComputedStyle($('chart'));
  const colour = (name) => style.getPropertyValue(name).trim();
  const font = `13px ${style.fontFamily}`;
  const labelFont = `bold 13px ${style.fontFamily}`;
  const axis = {
    stroke: colour('--ink'), font, labelFont, border: { show: true, stroke: colour('--ink'), width: 1.5 },
  };
  const bandSeries = (label) => ({ label, stroke: 'transparent', width: 0, points: { show: false } });
  const options = {
    ...size(),
    // A still picture, as on a presenter's screen: no hover readout.
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: true, range: [start / 1000, end / 1000] },
      y: { range: [ticks[0], ticks[ticks.length - 1]] },
    },
    axes: [
      {
        ...axis,
        label: 'time (1-minute windows)',
        size: 30,
        labelSize: 20,
        grid: { show: false },
        ticks: { stroke: colour('--ink'), width: 1.5, size: 5 },
        incrs: [600, 1200, 1800, 3600],
        values: (u, splits) => splits.map((s) => clock(s * 1000)),
      },
      {
        ...axis,
        label: `${m.label} ${m.valueLabel} (${m.unitLabel})`,
        grid: { stroke: colour('--line'), width: 1 },
        ticks: { show: false },
        splits: () => ticks,
        values: (u, splits) => splits.map(formatTick),
      },
    ],
    series: [
      {},
      {
        label: `${m.label} ${m.valueLabel}`,
        stroke: colour('--accent'),
        width: 3,
        // Lines join consecutive windows; a window with no neighbour, and the latest, are dots.
        points: { show: false, filter: () => marked, size: 8, fill: colour('--accent'), stroke: colour('--accent') },
      },
      ...(withRange ? [bandSeries('max'), bandSeries('min')] : []),
    ],
    bands: withRange ? [{ series: [2, 3], fill: `rgba(${hexToRgb(colour('--accent')).join(', ')}, 0.15)` }] : [],
    hooks: { draw: [(u) => drawOverlay(u, { points, thresholds, metricId })] },
  };
  clearChart();
  plot = new uPlot(options, data, $('chart'));
}

/** The value axis' ticks, and the reference values near enough to the data to show. */
function valueAxis(points, m, withRange) {
  const values = points.flatMap((p) => (withRange ? [p.v, p.lo, p.hi] : [p.v])).filter(Number.isFinite);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const thresholds = m.thresholds.filter((t) => t.value <= hi * 1.5 && t.value >= lo * 0.5);
  for (const t of thresholds) {
    lo = Math.min(lo, t.value);
    hi = Math.max(hi, t.value);
  }
  if (lo >= 0 && m.zeroBaseline) lo = 0;
  return { ticks: niceTicks(lo, hi === lo ? lo + 1 : hi, 5), thresholds };
}

/**
 * uPlot's columns (seconds; value; max and min where there is a range), with an empty row after
 * each run of consecutive windows, so that a missing minute breaks the line instead of bridging it.
 */
function aligned(points, withRange) {
  const columns = withRange ? [[], [], [], []] : [[], []];
  const push = (t, ...values) => [t / 1000, ...values].forEach((v, i) => columns[i].push(v));
  const orNull = (v) => (Number.isFinite(v) ? v : null);
  let previous = null;
  for (const p of points) {
    if (previous && p.t - previous.t > 1.5 * MINUTE) push(previous.t + MINUTE, null, null, null);
    push(p.t, p.v, orNull(p.hi), orNull(p.lo));
    previous = p;
  }
  return columns;
}

/** Indices of values without a neighbour (no line shows them) and of the latest value. */
function markedPoints(values) {
  const marked = [];
  values.forEach((v, i) => {
    if (v != null && values[i - 1] == null && values[i + 1] == null) marked.push(i);
  });
  const last = values.length - 1;
  if (!marked.includes(last)) marked.push(last);
  return marked;
}

function niceTicks(lo, hi, count) {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Number(t.toFixed(10)));
  }
  if (ticks[ticks.length - 1] < hi) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/** The SVG layer over the plot area: reference lines and labels, the latest value. */
function drawOverlay(u, { points, thresholds, metricId }) {
  let svg = u.over.querySelector('svg');
  if (!svg) {
    svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'overlay');
    svg.setAttribute('role', 'img');
    u.over.appendChild(svg);
  }
  svg.setAttribute('aria-label', $('chart-title').textContent);
  svg.setAttribute('data-points', String(points.length));
  const width = u.over.clientWidth;
  const parts = thresholds.map((t) => {
    const y = u.valToPos(t.value, 'y');
    return `<line class="threshold" x1="0" x2="${width}" y1="${y}" y2="${y}"/>`
      + `<text class="threshold-label" x="${width - 4}" y="${y - 5}" text-anchor="end">${escapeHtml(t.label)}</text>`;
  });
  const last = points[points.length - 1];
  const x = Math.min(u.valToPos(last.t / 1000, 'x'), width - 40);
  const y = Math.max(12, u.valToPos(last.v, 'y') - 10);
  parts.push(`<text class="latest" x="${x}" y="${y}">${formatValue(last.v, metricId)}</text>`);
  svg.innerHTML = parts.join('');
}

function size() {
  const width = $('chart').clientWidth || 560;
  return { width, height: Math.round(width * ASPECT) };
}

function clearChart() {
  if (plot) plot.destroy();
  plot = null;
  $('chart').replaceChildren();
}

function showNote(text) {
  clearChart();
  $('chart').innerHTML = `<p class="empty">${escapeHtml(text)}</p>`;
}
