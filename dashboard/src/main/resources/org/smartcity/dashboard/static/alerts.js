// Alerts on the page: a banner with the most severe active alert, readable from the back of a hall
// (severity colour, subject, value against threshold, since when); on the map, the alerting zones
// outlined and the alerting sensors marked in their severity colour; and the list of today's
// alerts, each with its episode on one shared time axis. Everything starts from the alerts
// collection and follows `alert` events of the live stream, so alerts appear, escalate and clear
// without a reload. Like the collection, the page keeps each alert once, at its newest revision.
// The pure functions below decide what is shown (tested in Node); map.js draws it.

import { EventStream, getJson } from './api.js';
import { SEVERITY_COLOURS, severityInk } from './colours.js';
import { metric } from './config.js';
import { $, escapeHtml } from './dom.js';

/** CAP severities, lowest first. */
export const SEVERITIES = ['minor', 'moderate', 'severe', 'extreme'];


const ALERTS_URL = '/collections/alerts/items?limit=1000';
const WATCH_MILLIS = 10_000;
/** Moves the timeline's "now" (and the end of each open episode) along between events. */
const TICK_MILLIS = 30_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Subject kinds whose geometry is a zone's outline. */
const ZONE_KINDS = ['h3', 'district', 'city'];

/**
 * Puts one alert feature into `alerts` (a Map by id) unless an equal or newer revision of it is
 * there already; returns whether it changed anything. The same revision replaces one held without
 * a geometry when it brings one: a sensor's position may reach the dashboard after the alert (see
 * `isUnplaced`).
 */
export function mergeAlert(alerts, feature) {
  const held = alerts.get(feature.id);
  if (held) {
    const newer = feature.properties.revision > held.properties.revision;
    const placed = feature.properties.revision === held.properties.revision && !held.geometry && !!feature.geometry;
    if (!newer && !placed) return false;
  }
  alerts.set(feature.id, feature);
  return true;
}

/**
 * Whether `feature` is an active sensor alert without a position. Just after a dashboard (re)start
 * it may not have one yet: a sensor the dashboard has not heard since is placed where the job
 * stored its alert, which the dashboard reads from the history store in the background, a second
 * or so after the alert is first asked for (StoredSensorPositions).
 */
export function isUnplaced(feature) {
  const p = feature.properties;
  return p.status === 'active' && p.subject_kind === 'sensor' && !feature.geometry;
}

/** Whether some alert in `alerts` (a Map by id) `isUnplaced`. */
export function lacksPosition(alerts) {
  for (const a of alerts.values()) {
    if (isUnplaced(a)) return true;
  }
  return false;
}

/**
 * How long after a load the alerts are loaded again while `lacksPosition`: the n-th such follow-up
 * (from 0) waits `FOLLOW_UP_MILLIS[n]`, and there are no more after the last. The dashboard reads
 * a sensor it has not read within about a second, and reads one again a minute after a read that
 * lacked a recent alert (the job may store the alert just after that read); an alert still without
 * a position after these is stored without one, and keeps its place in the list only.
 */
export const FOLLOW_UP_MILLIS = [3_000, 10_000, 30_000, 70_000];

/**
 * Whether `feature` is a cell alert that a district roll-up of the same rule covers: the roll-up
 * lists the cell (`cells`; a cleared roll-up lists those of its last active revision) and their
 * episodes overlap. People are told about the district once, not about each cell, and a cleared
 * roll-up stays the one row of its episode, as it was while active. A cell still alerting after
 * its roll-up cleared is an alert of its own again (the banner may name it) until it clears too.
 */
export function rolledUp(alerts, feature) {
  const p = feature.properties;
  if (p.subject_kind !== 'h3') return false;
  const [from, to] = episodeOf(p);
  for (const a of alerts.values()) {
    const r = a.properties;
    if (r.rule !== p.rule || !(r.cells || []).includes(p.subject_id)) continue;
    if (r.status !== 'active' && p.status === 'active') continue;
    const [rollupFrom, rollupTo] = episodeOf(r);
    if (from <= rollupTo && to >= rollupFrom) return true;
  }
  return false;
}

/** An alert's episode as [opened, cleared] in millis, open-ended (Infinity) while active. */
const episodeOf = (p) => [Date.parse(p.opened_at), p.cleared_at ? Date.parse(p.cleared_at) : Infinity];

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
 * active first, then by opening time, newest first. A cell alert that a district roll-up covers
 * (`rolledUp`) is left to the roll-up's row, active or cleared.
 */
export function todaysAlerts(alerts, dayStartMillis) {
  return [...alerts.values()]
    .filter((a) => {
      const p = a.properties;
      if (rolledUp(alerts, a)) return false;
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

/** A share (0 to 1) as a whole percentage: "33%". */
const percent = (share) => `${Math.round(100 * share)}%`;

/**
 * What the banner says of an alert, each thing once, as {severity, subject, measure, since}:
 * "SEVERE", "sensor km-water_level-0003", "Water level 4.12 m (threshold 4)", "since 21:05 UTC".
 * Built from the alert's fields, not its `message`: the message names the subject too ("... at
 * sensor km-water_level-0003 ...", "... in Wuhua District ..."), so the banner said it twice.
 * `label` is the metric's name (config.js; its id where the configuration does not list it). A
 * coverage alert's value is a share of sensors, a silent sensor's the minutes without a reading.
 */
export function bannerParts(p, label = metric(p.metric).label) {
  const kind = { sensor: 'sensor ', h3: 'cell ' }[p.subject_kind] || '';
  const cells = (p.cells || []).length ? ` (${p.cells.length} cells)` : '';
  let measure;
  if (p.unit === 'share') {
    measure = `${label} sensors reporting ${percent(p.value)} (threshold ${percent(p.threshold)})`;
  } else if (p.unit === 'min') {
    measure = `${label} silent for ${p.value} min`;
  } else {
    measure = `${label} ${valueText(p)}`;
  }
  return {
    severity: p.severity.toUpperCase(),
    subject: `${kind}${p.subject_name}${cells}`,
    measure,
    since: `since ${time(p.opened_at)} UTC`,
  };
}

/**
 * What the map says of an alert, in words (the colour repeats it), as the lines of a label:
 * ["SEVERE km-water_level-0003", "water-level, 4.12 m (threshold 4)", "since 21:05 UTC"].
 */
export function alertLines(p) {
  return [`${p.severity.toUpperCase()} ${p.subject_name}`, `${p.rule}, ${valueText(p)}`,
    `since ${time(p.opened_at)} UTC`];
}

/** The same on one line, for an accessible name: "SEVERE km-…: water-level, … since 21:05 UTC". */
export function alertLabel(p) {
  const [who, what, since] = alertLines(p);
  return `${who}: ${what} ${since}`;
}

/** The banner's content for an alert: bannerParts, each in its element (app.css lays them out). */
export function bannerHtml(p, label) {
  const b = bannerParts(p, label);
  return `<strong class="severity">${escapeHtml(b.severity)}</strong> `
    + `<strong class="subject">${escapeHtml(b.subject)}</strong> `
    + `<span class="measure">${escapeHtml(b.measure)}</span> `
    + `<span class="since">${escapeHtml(b.since)}</span>`;
}

const isArea = (g) => g != null && (g.type === 'Polygon' || g.type === 'MultiPolygon');

/**
 * The zones to outline on the map: active alerts about an H3 cell, a district or the city that
 * have the zone's outline as geometry, as {id, feature, severity, colour, rolledUp}. A cell that an
 * active district roll-up lists is outlined too, marked `rolledUp` (drawn lighter: the roll-up is
 * the notification). In drawing order, the last on top: rolled-up cells first, then by severity,
 * then by opening time, then id.
 */
export function alertZones(alerts) {
  return [...alerts.values()]
    .filter((a) => {
      const p = a.properties;
      return p.status === 'active' && ZONE_KINDS.includes(p.subject_kind) && isArea(a.geometry);
    })
    .map((a) => ({
      id: a.id,
      feature: a,
      severity: a.properties.severity,
      colour: SEVERITY_COLOURS[a.properties.severity],
      rolledUp: rolledUp(alerts, a),
    }))
    .sort((x, y) => (x.rolledUp === y.rolledUp ? 0 : x.rolledUp ? -1 : 1)
      || rank(x.feature.properties) - rank(y.feature.properties)
      || x.feature.properties.opened_at.localeCompare(y.feature.properties.opened_at)
      || x.id.localeCompare(y.id));
}

/**
 * The sensors to mark on the map: one per sensor with an active alert that has a position (the
 * dashboard has heard from the sensor; without one the sensor is only in the list), as
 * {sensorId, lat, lon, severity, colour, alerts}: its alerts most severe first (the newest of
 * equals), the marker in the first one's colour and at its position. Ordered by sensor id.
 */
export function alertSensors(alerts) {
  const bySensor = new Map();
  for (const a of alerts.values()) {
    const p = a.properties;
    if (p.status !== 'active' || p.subject_kind !== 'sensor' || a.geometry?.type !== 'Point') continue;
    if (!bySensor.has(p.subject_id)) bySensor.set(p.subject_id, []);
    bySensor.get(p.subject_id).push(a);
  }
  return [...bySensor.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([sensorId, list]) => {
      list.sort((a, b) => rank(b.properties) - rank(a.properties)
        || b.properties.opened_at.localeCompare(a.properties.opened_at) || a.id.localeCompare(b.id));
      const top = list[0];
      const [lon, lat] = top.geometry.coordinates;
      return {
        sensorId, lat, lon, severity: top.properties.severity,
        colour: SEVERITY_COLOURS[top.properties.severity], alerts: list,
      };
    });
}

/** "07:00" for a time `millis` after the day's start ("24:00" at its end). */
const hourLabel = (millis) => `${String(Math.round(millis / HOUR)).padStart(2, '0')}:00`;

/**
 * The timeline of `list` (today's alerts, in the list's order) on one shared axis: from the full
 * hour of the earliest episode to the full hour after `nowMillis`, within the UTC day that starts
 * at `dayStartMillis` (so that the alerts of a demo are wider than slivers of 24 hours). Each
 * alert's episode runs from opened_at to cleared_at, or to now while active, clipped to the axis.
 * Positions are percentages of the axis: {startMillis, endMillis, now, ticks: [{at, label}], bars:
 * [{id, left, width, open, fromYesterday}]}; ticks every 1, 2, 3 or 6 hours, at most 7.
 */
export function timeline(list, dayStartMillis, nowMillis) {
  const dayEnd = dayStartMillis + DAY;
  const clip = (t) => Math.min(dayEnd, Math.max(dayStartMillis, t));
  const now = clip(nowMillis);
  const episodes = list.map((a) => {
    const p = a.properties;
    const opened = Date.parse(p.opened_at);
    return {
      id: a.id,
      from: clip(opened),
      to: clip(p.cleared_at ? Date.parse(p.cleared_at) : nowMillis),
      open: !p.cleared_at,
      fromYesterday: opened < dayStartMillis,
    };
  });
  const earliest = Math.min(now, ...episodes.map((e) => e.from));
  const start = dayStartMillis + Math.floor((earliest - dayStartMillis) / HOUR) * HOUR;
  const end = Math.min(dayEnd, dayStartMillis + (Math.floor((now - dayStartMillis) / HOUR) + 1) * HOUR);
  const span = end - start;
  const at = (t) => (100 * (Math.min(end, t) - start)) / span;
  const step = [1, 2, 3, 6].map((h) => h * HOUR).find((s) => span / s <= 6);
  const ticks = [];
  for (let t = start; t <= end; t += step) ticks.push({ at: at(t), label: hourLabel(t - dayStartMillis) });
  return {
    startMillis: start,
    endMillis: end,
    now: at(now),
    ticks,
    bars: episodes.map((e) => ({
      id: e.id, left: at(e.from), width: at(e.to) - at(e.from), open: e.open, fromYesterday: e.fromYesterday,
    })),
  };
}

/**
 * The alerts of the page: loads them, follows the live stream, renders banner, list and timeline,
 * and hands the zones to outline and the sensors to mark to `drawMap({zones, sensors})` (map.js).
 */
export class AlertBoard {
  constructor({ now = () => Date.now(), drawMap = () => {} } = {}) {
    this.alerts = new Map();
    this.now = now;
    this.drawMap = drawMap;
    this.stream = new EventStream({
      // City aggregates only (a handful a minute): the stream carries every alert to every client.
      url: () => '/api/live/stream?zone_kind=city',
      onOpen: () => {
        this.followUps = 0;
        this.load();
      },
      handlers: { alert: (feature) => this.apply(feature) },
    });
    /** The scheduled follow-up load (`followUpIfUnplaced`), and how many came since the count began. */
    this.followUp = null;
    this.followUps = 0;
  }

  start() {
    this.stream.connect();
    setInterval(() => this.stream.watch(), WATCH_MILLIS);
    setInterval(() => this.render(), TICK_MILLIS);
  }

  async load() {
    try {
      const page = await getJson(ALERTS_URL);
      for (const f of page.features) mergeAlert(this.alerts, f);
      this.render();
    } catch (e) {
      // The banner stays as it was; the next (re)connect loads again.
      return;
    }
    this.followUpIfUnplaced();
  }

  apply(feature) {
    if (!mergeAlert(this.alerts, feature)) return;
    this.render();
    if (isUnplaced(feature)) this.followUps = 0;
    this.followUpIfUnplaced();
  }

  /**
   * Loads the alerts again after `FOLLOW_UP_MILLIS[n]` while an active sensor alert has no position
   * (`lacksPosition`), unless a load is scheduled already; n counts from 0 again on every
   * (re)connect and on every event of an alert without a position.
   */
  followUpIfUnplaced() {
    if (this.followUp !== null || this.followUps >= FOLLOW_UP_MILLIS.length || !lacksPosition(this.alerts)) return;
    this.followUp = setTimeout(() => {
      this.followUp = null;
      this.load();
    }, FOLLOW_UP_MILLIS[this.followUps++]);
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
      banner.style.color = severityInk(p.severity);
      banner.dataset.ink = severityInk(p.severity) === '#ffffff' ? 'light' : 'dark';
      banner.innerHTML = bannerHtml(p);
    }
    const now = this.now();
    const day = new Date(now);
    day.setUTCHours(0, 0, 0, 0);
    const list = todaysAlerts(this.alerts, day.getTime());
    const line = timeline(list, day.getTime(), now);
    const table = $('alert-table');
    table.querySelector('thead').innerHTML = list.length ? axisRow(line) : '';
    table.querySelector('tbody').innerHTML = list.map((a, i) => alertRow(a, line, line.bars[i])).join('');
    table.dataset.axis = `${hourLabel(line.startMillis - day.getTime())}-${hourLabel(line.endMillis - day.getTime())}`;
    $('alert-count').textContent = `(${list.length})`;
    this.drawMap({ zones: alertZones(this.alerts), sensors: alertSensors(this.alerts) });
  }
}

const pct = (v) => `${Number(v.toFixed(3))}%`;

/** The tick lines and the now line of a timeline track. */
function gridLines(line) {
  return line.ticks.map((t) => `<span class="grid" style="left:${pct(t.at)}"></span>`).join('')
    + `<span class="now" style="left:${pct(line.now)}"></span>`;
}

// Each alert is one row: severity, subject and detail, time, and below them its episode as a bar
// across the panel's width (app.css lays the cells out as a grid), under the shared axis of the
// header. Roles keep the table's semantics, which a grid display would drop.
function axisRow(line) {
  // The first and last labels are kept inside the panel.
  const ticks = line.ticks.map((t) => {
    const end = t.at === 0 ? ' first' : t.at === 100 ? ' last' : '';
    return `<span class="tick${end}" style="left:${pct(t.at)}">${t.label}</span>`;
  });
  return '<tr role="row"><th role="columnheader" scope="col" class="severity">Severity</th>'
    + '<th role="columnheader" scope="col" class="subject">Subject</th>'
    + '<th role="columnheader" scope="col" class="when">UTC</th>'
    + `<th role="columnheader" scope="col" class="axis"><span class="visually-hidden">Timeline, UTC</span>${ticks.join('')}</th></tr>`;
}

function alertRow(a, line, bar) {
  const p = a.properties;
  const colour = SEVERITY_COLOURS[p.severity];
  const cells = (p.cells || []).length ? ` · ${p.cells.length} cells` : '';
  const when = p.cleared_at ? `${time(p.opened_at)}–${time(p.cleared_at)}` : `since ${time(p.opened_at)}`;
  const episode = `${p.severity} alert ${bar.fromYesterday ? 'since yesterday ' : ''}`
    + `from ${time(p.opened_at)}${p.cleared_at ? ` to ${time(p.cleared_at)}` : ', still active'}`;
  return `<tr role="row" data-alert-id="${escapeHtml(a.id)}" data-severity="${escapeHtml(p.severity)}" `
    + `data-status="${escapeHtml(p.status)}">`
    + `<td role="cell" class="severity"><span class="swatch" style="background:${colour}"></span>`
    + `${escapeHtml(p.severity.toUpperCase())}</td>`
    + `<td role="cell" class="subject"><strong>${escapeHtml(p.subject_name)}</strong>`
    + `<span class="detail">${escapeHtml(p.rule)} · ${escapeHtml(valueText(p))}${cells}</span></td>`
    + `<td role="cell" class="when">${escapeHtml(when)}</td>`
    + `<td role="cell" class="timeline"><div class="track" role="img" aria-label="${escapeHtml(episode)}">${gridLines(line)}`
    + `<span class="bar" data-open="${bar.open}" data-from-yesterday="${bar.fromYesterday}" `
    + `style="left:${pct(bar.left)};width:${pct(bar.width)};background:${colour}"></span></div></td></tr>`;
}
