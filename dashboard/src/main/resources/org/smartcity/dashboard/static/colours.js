// Colour scales of the map, the legend and the city figures. PM2.5 and PM10 use China's AQI
// bands (levels, colours and breakpoints from /api/config); other metrics a sequential ramp over
// the metric's usual range from /api/config, widened by values outside it, or over the data's own
// range for a metric without one. Which ramp a metric gets is the page's style, kept here, as are
// the alerts' severity colours.

import { aqi, metric } from './config.js';

const YL_OR_RD = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];
const BLUES = ['#eff3ff', '#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
const RD_YL_BU = ['#313695', '#4575b4', '#74add1', '#abd9e9', '#fee090', '#fdae61', '#f46d43',
  '#d73027', '#a50026'];
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** Ramps by metric: cold to warm for temperature, blues for water, warm for nuisances. */
const RAMPS = {
  no2: YL_OR_RD, o3: YL_OR_RD, noise: YL_OR_RD, traffic: YL_OR_RD,
  temperature: RD_YL_BU, humidity: BLUES, water_level: BLUES,
};

/**
 * Alert colours per CAP severity (the flood signal colours: blue, yellow, orange, red): the
 * banner, the list and the alert outlines and markers on the map. Yellow and orange carry dark
 * text (`severityInk`); on the map every alert colour is drawn over a dark casing, as the AQI fills
 * use yellow and orange too.
 */
export const SEVERITY_COLOURS = {
  minor: '#1f5fbf', moderate: '#f2c200', severe: '#e86a00', extreme: '#c4001a',
};

/**
 * The text colour on a severity's colour: the one of dark ink and white that contrasts more with
 * it. White on the severe orange is only 3.2:1, too little for the banner's smaller "since" text
 * (WCAG AA asks 4.5:1 below 24 px); dark ink on it is 5.7:1.
 */
export const severityInk = (severity) => (severity === 'moderate' || severity === 'severe' ? '#111418' : '#ffffff');

/** Where a city figure's value is neither banded nor on a fixed ramp. */
export const NEUTRAL = '#0b4f9c';

/** A colour given as #rrggbb, as [r, g, b]. */
export function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rampColour(ramp, t) {
  const x = Math.min(1, Math.max(0, t)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const a = hexToRgb(ramp[i]);
  const b = hexToRgb(ramp[i + 1]);
  const f = x - i;
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

function niceCeil(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v);
}

/** Whether the metric's colours do not depend on the data shown (AQI bands or a fixed range). */
export function hasFixedScale(metricId) {
  const m = metric(metricId);
  return m.aqiBreakpoints.length > 0 || m.colourRange != null;
}

/**
 * The colour scale of a metric over the given values: {kind: 'bands', breaks, levels} or
 * {kind: 'ramp', ramp, domain}, both with colour(v) and band(v) (the AQI level's name, or '').
 */
export function scaleFor(metricId, values) {
  const m = metric(metricId);
  const breaks = m.aqiBreakpoints;
  if (breaks.length) {
    const levels = aqi().levels;
    const level = (v) => levels[breaks.filter((b) => v >= b).length];
    return {
      kind: 'bands',
      breaks,
      levels,
      colour: (v) => level(v).colour,
      band: (v) => level(v).name,
    };
  }
  const ramp = RAMPS[metricId] || VIRIDIS;
  const finite = values.filter(Number.isFinite);
  let lo = m.colourRange ? m.colourRange[0] : Math.min(0, ...finite);
  let hi = m.colourRange ? m.colourRange[1] : niceCeil(Math.max(...finite, 0));
  if (finite.length) {
    lo = Math.min(lo, Math.floor(Math.min(...finite)));
    hi = Math.max(hi, Math.ceil(Math.max(...finite)));
  }
  if (!(hi > lo)) hi = lo + 1;
  return {
    kind: 'ramp',
    ramp,
    domain: [lo, hi],
    colour: (v) => rampColour(ramp, (v - lo) / (hi - lo)),
    band: () => '',
  };
}
