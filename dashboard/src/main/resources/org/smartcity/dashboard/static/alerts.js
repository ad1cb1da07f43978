// Alerts on the page: a banner with the most severe active alert, readable from the back of a hall
// (severity colour, subject, value against threshold, since when), and the list of today's
// alerts. The list starts from the alerts collection and follows `alert` events of the live
// stream, so new alerts appear without a reload. Like the collection, the page keeps each alert
// once, at its newest revision.

import { EventStream, getJson } from './api.js';
import { $, escapeHtml } from './dom.js';

/** CAP severities, lowest first. */
export const SEVERITIES = ['minor', 'moderate', 'severe', 'extreme'];

/** Banner colours per severity (the flood signal colours: blue, yellow, orange, red). */
export const SEVERITY_COLOURS = {
  minor: '#1f5fbf', moderate: '#f2c200', severe: '#e86a00', extreme: '#c4001a',
};

const ALERTS_URL = '/collections/alerts/items?limit=1000';
const WATCH_MILLIS = 10_000;

/**
 * Puts one alert feature into `alerts` (a Map by id) unless an equal or newer revision of it is
 * there already; returns whether it changed anything.
 */
export function mergeAlert(alerts, feature) {
  const held = alerts.get(feature.id);
  if (held && held.properties.revision >= feature.properties.revision) return false;
  alerts.set(feature.id, feature);
  return true;
}

/**
 * Whether `feature` is a cell alert that an active district roll-up of the same rule lists (its
 * `cells`): people are told about the district once, not about each cell.
 */
export function rolledUp(alerts, feature) {
  const p = feature.properties;
  if (p.subject_kind !== 'h3') return false;
  for (const a of alerts.values()) {
    const r = a.properties;
    if (r.status === 'active' && r.rule === p.rule && (r.cells || []).includes(p.subject_id)) {
      return true;
    }
  }
  return false;
}

/**
 * The alert for the banner: the most severe active one, the most recently opened first; a cell
 * alert that a district roll-up lists is left to the roll-up.
 */
export function bannerAlert(alerts) {
  let best = null;
  for (const a of alerts.values()) {
    const p = a.properties;
    if (p.status !== 'active' || rolledUp(alerts, a)) continue;
    if (!best || rank(p) > rank(best.properties)
        || (rank(p) === rank(best.properties) && p.opened_at > best.properties.opened_at)) {
      best = a;
    }
  }
  return best;
}

const rank = (p) => SEVERITIES.indexOf(p.severity);

/**
 * Today's alerts, for the list: active ones and those opened or cleared since `dayStartMillis`,
 * active first, then by opening time, newest first.
 */
export function todaysAlerts(alerts, dayStartMillis) {
  return [...alerts.values()]
    .filter((a) => {
      const p = a.properties;
      return p.status === 'active' || Date.parse(p.opened_at) >= dayStartMillis
        || (p.cleared_at && Date.parse(p.cleared_at) >= dayStartMillis);
    })
    .sort((a, b) => {
      const pa = a.properties;
      const pb = b.properties;
      if ((pa.status === 'active') !== (pb.status === 'active')) return pa.status === 'active' ? -1 : 1;
      return pb.opened_at.localeCompare(pa.opened_at) || a.id.localeCompare(b.id);
    });
}

/** "PM2.5 ... 96.4 ug/m3 (threshold 75)": what the banner says after the subject. */
export function valueText(p) {
  return `${p.value} ${p.unit} (threshold ${p.threshold})`;
}

const time = (iso) => iso.slice(11, 16);

/** The alerts of the page: loads them, follows the live stream, renders banner and list. */
export class AlertBoard {
  constructor({ now = () => Date.now() } = {}) {
    this.alerts = new Map();
    this.now = now;
    this.stream = new EventStream({
      // City aggregates only (a handful a minute): the stream carries every alert to every client.
      url: () => '/api/live/stream?zone_kind=city',
      onOpen: () => this.load(),
      handlers: { alert: (feature) => this.apply(feature) },
    });
  }

  start() {
    this.stream.connect();
    setInterval(() => this.stream.watch(), WATCH_MILLIS);
  }

  async load() {
    try {
      const page = await getJson(ALERTS_URL);
      for (const f of page.features) mergeAlert(this.alerts, f);
      this.render();
    } catch (e) {
      // The banner stays as it was; the next (re)connect loads again.
    }
  }

  apply(feature) {
    if (mergeAlert(this.alerts, feature)) this.render();
  }

  render() {
    const banner = $('alert-banner');
    const top = bannerAlert(this.alerts);
    if (!top) {
      banner.hidden = true;
    } else {
      const p = top.properties;
      banner.hidden = false;
      banner.dataset.severity = p.severity;
      banner.style.background = SEVERITY_COLOURS[p.severity];
      banner.innerHTML = `<strong>${escapeHtml(p.severity.toUpperCase())}</strong> `
        + `${escapeHtml(p.subject_name)}: ${escapeHtml(p.message)} `
        + `<span class="since">since ${escapeHtml(time(p.opened_at))} UTC</span>`;
    }
    const day = new Date(this.now());
    day.setUTCHours(0, 0, 0, 0);
    const rows = todaysAlerts(this.alerts, day.getTime()).map((a) => {
      const p = a.properties;
      const end = p.cleared_at ? `–${time(p.cleared_at)}` : '–';
      return `<tr data-severity="${escapeHtml(p.severity)}" data-status="${escapeHtml(p.status)}">`
        + `<td><span class="swatch" style="background:${SEVERITY_COLOURS[p.severity]}"></span>`
        + `${escapeHtml(p.severity)}</td><td>${escapeHtml(p.subject_name)}</td>`
        + `<td>${escapeHtml(p.rule)}</td><td>${escapeHtml(time(p.opened_at))}${escapeHtml(end)}</td></tr>`;
    });
    $('alert-table').querySelector('tbody').innerHTML = rows.join('');
    $('alert-count').textContent = `(${rows.length})`;
  }
}
