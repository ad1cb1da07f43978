// Live dashboard for presenters: a map of zones coloured by the current value of a metric, the
// city's figures, a zone's last hour, alerts (banner, map, today's list) and data quality, kept
// current by the server's event streams. ES modules, no build step; Leaflet and uPlot come from
// their WebJars. Works offline: without a tile URL the district outlines and labels are the base
// map.
//
// This module starts the page and owns the selection (metric, zone kind, window length, the zone
// charted), kept in the address so that a selection can be bookmarked; it wires the controls, the
// two live feeds and the panels together, and batches redrawing.

import { getJson } from './api.js';
import { chartShows, closeChart, initChart, refreshChart, showChart } from './chart.js';
import { scaleFor } from './colours.js';
import { loadConfig, metric, metricIds, valueOf } from './config.js';
import { $, escapeHtml, showMessage } from './dom.js';
import { windowLabel } from './format.js';
import { buildHeadlines, renderHeadlines } from './headlines.js';
import { renderLegend } from './legend.js';
import { LiveFeed, clearFeatures, dataClock, featuresWhere } from './live.js';
import { createMap, drawDistricts, leafletMap, renderAlerts, renderZones } from './map.js';
import { initSdg } from './sdg.js';
import { renderStatus } from './status.js';
import { AlertBoard } from './alerts.js';

const CONFIG_RETRY_MILLIS = 5000;
const WATCH_MILLIS = 5000;
/** Keeps "silent for" durations and stale shading current between events. */
const TICK_MILLIS = 15_000;
/** A burst of events at a window's end redraws once. */
const RENDER_DELAY_MILLIS = 60;

const selection = {
  metric: null,
  zoneKind: 'district',
  windowLength: '1m',
  zone: null, // the zone charted: { zoneKind, zoneId, name }
};
let status = null;

// Two feeds, filtered by the server, so that a big city's burst at the end of a window sends only
// what the page shows: the selected metric and zone kind for the map, the city zone of every
// metric for the figures.
const feedEvents = {
  onOpen: () => loadStatus(),
  onChange: (feature) => {
    scheduleRender();
    if (feature && chartShows(feature.properties)) refreshChart();
  },
  onStatus: (s) => {
    status = s;
    renderStatus(s);
  },
  onError: (message) => showMessage(message),
  onStateChange: () => updateIndicator(),
};
const zoneFeed = new LiveFeed({
  ...feedEvents,
  filter: () => ({
    metric: selection.metric, zone_kind: selection.zoneKind, window_length: selection.windowLength,
  }),
});
const cityFeed = new LiveFeed({
  ...feedEvents,
  filter: () => ({ zone_kind: 'city', window_length: selection.windowLength }),
});

async function loadStatus() {
  try {
    status = await getJson('/api/status');
    renderStatus(status);
  } catch (e) {
    showMessage(`Status unavailable: ${e.message}`);
  }
}

let everLive = false;
function updateIndicator() {
  const live = zoneFeed.open && cityFeed.open;
  everLive = everLive || live;
  const state = live ? 'live' : everLive ? 'reconnecting' : 'connecting';
  const el = $('live-indicator');
  el.dataset.state = state;
  el.querySelector('.label').textContent = state;
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(() => {
    renderPending = false;
    render();
  }, RENDER_DELAY_MILLIS);
}

function render() {
  const features = featuresWhere({ metric: selection.metric, zone_kind: selection.zoneKind });
  const scale = scaleFor(selection.metric, features.map((f) => valueOf(f.properties, selection.metric)));
  renderZones({
    features, zoneKind: selection.zoneKind, scale, newestEnd: dataClock(), selectedZone: selection.zone,
  });
  renderLegend({
    metricId: selection.metric,
    zoneKind: selection.zoneKind,
    windowLength: selection.windowLength,
    zoneCount: features.length,
    scale,
  });
  renderHeadlines({
    cityFeature: (metricId) => featuresWhere({ metric: metricId, zone_kind: 'city' })[0],
    selectedMetric: selection.metric,
    windowLength: selection.windowLength,
  });
}

/** Changes the selection, the controls and the address, and reconnects what it affects. */
function select(change) {
  const before = { ...selection };
  Object.assign(selection, change);
  $('metric-select').value = selection.metric;
  $('window-select').value = selection.windowLength;
  for (const b of document.querySelectorAll('[data-zone-kind]')) {
    b.setAttribute('aria-checked', String(b.dataset.zoneKind === selection.zoneKind));
  }
  const q = new URLSearchParams(location.search);
  q.set('metric', selection.metric);
  q.set('zone_kind', selection.zoneKind);
  q.set('window_length', selection.windowLength);
  history.replaceState(null, '', `${location.pathname}?${q}`);
  if (selection.windowLength !== before.windowLength) {
    clearFeatures();
    cityFeed.connect();
  }
  if (selection.metric !== before.metric || selection.zoneKind !== before.zoneKind
      || selection.windowLength !== before.windowLength) {
    zoneFeed.connect();
  }
  if (selection.zone && selection.zone.zoneKind !== selection.zoneKind) unselectZone();
  else if (selection.zone && selection.metric !== before.metric) showChart(selection.zone, selection.metric);
  scheduleRender();
}

function selectZone(p) {
  selection.zone = { zoneKind: p.zone_kind, zoneId: p.zone_id, name: p.zone_name || p.zone_id };
  scheduleRender();
  showChart(selection.zone, selection.metric);
}

function unselectZone() {
  selection.zone = null;
  closeChart();
  scheduleRender();
}

/** Fills the controls from the configuration and picks the selection the address asks for. */
function buildControls(config) {
  const params = new URLSearchParams(location.search);
  const metrics = metricIds();
  const kinds = (config.zoneKinds || ['h3', 'district']).filter((k) => k !== 'city');
  const lengths = config.windowLengths || ['1m'];
  const pick = (wanted, allowed, fallback) => (allowed.includes(wanted) ? wanted : fallback);
  selection.metric = pick(params.get('metric'), metrics, metrics[0]);
  selection.zoneKind = pick(params.get('zone_kind'), kinds, kinds.includes('district') ? 'district' : kinds[0]);
  selection.windowLength = pick(params.get('window_length'), lengths, lengths[0]);

  $('metric-select').innerHTML = metrics.map((id) =>
    `<option value="${escapeHtml(id)}">${escapeHtml(metric(id).label)}</option>`).join('');
  $('window-select').innerHTML = lengths.map((l) =>
    `<option value="${escapeHtml(l)}">${escapeHtml(windowLabel(l))}</option>`).join('');
  for (const b of document.querySelectorAll('[data-zone-kind]')) {
    b.hidden = !kinds.includes(b.dataset.zoneKind);
    b.addEventListener('click', () => select({ zoneKind: b.dataset.zoneKind }));
  }
  $('metric-select').addEventListener('change', (e) => select({ metric: e.target.value }));
  $('window-select').addEventListener('change', (e) => select({ windowLength: e.target.value }));
  $('chart-close').addEventListener('click', unselectZone);
  buildHeadlines((metricId) => select({ metric: metricId }));
}

async function start() {
  let config;
  try {
    config = await loadConfig();
  } catch (e) {
    showMessage(`Cannot load the configuration (${e.message}); retrying`);
    setTimeout(start, CONFIG_RETRY_MILLIS);
    return;
  }
  const city = config.city ? config.city[0].toUpperCase() + config.city.slice(1) : 'City';
  $('title').textContent = `${city} live`;
  document.title = `${city} live city metrics`;
  buildControls(config);
  initChart(dataClock);

  if (window.L) {
    createMap(config, selectZone);
  } else {
    // Without the map library the figures and panels still work; say what is missing.
    showMessage('The map library did not load (/webjars/leaflet/): check the dashboard build', true);
  }
  getJson('/api/zones/districts')
    .then((districts) => drawDistricts(districts, selection.zoneKind === 'district'))
    .catch((e) => showMessage(`District outlines unavailable: ${e.message}`));

  select({});
  new AlertBoard({ drawMap: renderAlerts }).start();
  initSdg(leafletMap);
  zoneFeed.connect();
  cityFeed.connect();
  setInterval(() => { zoneFeed.watch(); cityFeed.watch(); }, WATCH_MILLIS);
  setInterval(() => { renderStatus(status); scheduleRender(); }, TICK_MILLIS);
}

start();
