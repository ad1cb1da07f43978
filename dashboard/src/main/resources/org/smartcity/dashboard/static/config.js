// The server's configuration, /api/config, loaded once: the city, its outline, the zone kinds and
// window lengths, and everything the page shows of a metric (name, unit, decimals, which statistic
// is a zone's value, reference values, AQI bands, colour range). The server is the only home of
// these: the page holds no copy, so a metric added to the catalogue needs no change here.

import { getJson } from './api.js';
import { formatFixed } from './format.js';

let current = null;
const metrics = new Map(); // metric id -> catalogue entry merged with its display

/** Loads /api/config; rejects when the server cannot be reached. */
export async function loadConfig() {
  current = await getJson('/api/config');
  metrics.clear();
  for (const entry of current.metrics || []) {
    metrics.set(entry.id, { ...entry, ...current.display[entry.id] });
  }
  return current;
}

export const config = () => current;

/** The metric ids in catalogue order. */
export const metricIds = () => [...metrics.keys()];

/**
 * A metric's catalogue entry (id, unit, aggregation, thresholds) with its display (label,
 * unitLabel, decimals, value, valueLabel, zeroBaseline, colourRange, aqiBreakpoints).
 */
export const metric = (id) => metrics.get(id) || unknownMetric(id);

/** A metric the configuration does not list (a silent sensor's, say): shown by its id. */
const unknownMetric = (id) => ({
  id, label: id, unitLabel: '', decimals: 1, value: 'mean', valueLabel: 'mean', thresholds: [], aqiBreakpoints: [],
});

/** China's AQI levels (name, nameZh, colour) and their source; the breakpoints are per metric. */
export const aqi = () => current.aqi;

/** A zone's value of a metric: the aggregate property the server names for it, or null. */
export function valueOf(properties, metricId) {
  const v = properties[metric(metricId).value];
  return typeof v === 'number' ? v : null;
}

/** A value with the metric's decimals, or a dash. */
export const formatValue = (value, metricId) => formatFixed(value, metric(metricId).decimals);
