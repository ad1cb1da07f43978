// The Leaflet map: the district outlines and names as the base map (above the zones, so the city
// is recognisable without tiles; a tile layer below when the server names one), and the zone
// layer, one path per zone of the selection, coloured by its value, faded and dashed when its
// window is stale, with a tooltip and a click that selects the zone; above them, the alerts: the
// alerting zones outlined and the alerting sensors marked in their severity colour, with a key.
// Leaflet is the global L of its WebJar's script.

import { SEVERITIES, alertLabel, alertLines, valueText } from './alerts.js';
import { SEVERITY_COLOURS, severityInk } from './colours.js';
import { formatValue, metric, valueOf } from './config.js';
import { escapeHtml } from './dom.js';
import { clock, formatCount, formatTick } from './format.js';
import { addLegend, legendWidth } from './legend.js';

/** A zone whose window ended this many window lengths before the newest one is stale. */
const STALE_WINDOWS = 3;
/** Without a bounding box in the configuration: Kunming. */
const DEFAULT_BBOX = [102.17, 24.38, 103.67, 26.37];

let map = null;
let zoneLayer = null;
const zoneLayers = new Map(); // feature id -> Leaflet layer
let districtLayer = null;
const districtLabels = [];
let lastAddedZone = null; // set by onEachFeature while addData runs
const fitted = new Set(); // zone kinds whose data the map has been fitted to
// What the zones are drawn with; the tooltip reads it when it opens.
let view = { scale: null, newestEnd: 0, selectedZone: null };
const alertOutlines = new Map(); // alert id -> { casing, line } (Leaflet paths)
const alertMarkers = new Map(); // sensor id -> Leaflet marker
let alertKey = null;
/** Up to this many alerting sensors carry a label permanently; more, on hover and focus only. */
const PERMANENT_SENSOR_LABELS = 3;

/** The Leaflet map, or null before createMap (or without Leaflet): for other map modes. */
export function leafletMap() {
  return map;
}

/** Creates the map in #map with the legend; `onZoneClick(properties)` on a zone's click. */
export function createMap(config, onZoneClick) {
  map = L.map('map', { zoomSnap: 0.25, zoomControl: true, attributionControl: !!config.tileUrl });
  // Leaflet follows the window's size, not its container's: the alert banner opening or closing
  // above the map changes only the map's height, and the map would go on drawing for the old one
  // (cut off at the bottom, off centre). Keeps the centre where it was.
  new ResizeObserver(() => map.invalidateSize()).observe(document.getElementById('map'));
  map.createPane('zones').style.zIndex = 410;
  map.createPane('outlines').style.zIndex = 450;
  map.getPane('outlines').style.pointerEvents = 'none';
  map.createPane('labels').style.zIndex = 460;
  map.getPane('labels').style.pointerEvents = 'none';
  // Alert outlines above the district outlines and below their names; only their strokes take
  // the pointer (for the tooltip), so a click inside an alerting zone still selects the zone.
  map.createPane('alerts').style.zIndex = 455;
  map.getPane('alerts').style.pointerEvents = 'none';
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || '', maxZoom: 18 }).addTo(map);
  }
  const [minLon, minLat, maxLon, maxLat] = config.bbox || DEFAULT_BBOX;
  map.fitBounds([[minLat, minLon], [maxLat, maxLon]]);

  zoneLayer = L.geoJSON(null, {
    pane: 'zones',
    className: 'zone',
    style: (f) => zoneStyle(f),
    onEachFeature: (f, layer) => {
      lastAddedZone = layer;
      layer.bindTooltip(() => zoneTooltip(layer.feature), { sticky: true, className: 'zone-tip' });
      layer.on('click', () => onZoneClick(layer.feature.properties));
    },
  }).addTo(map);
  addLegend(map);
  // Under the legend, in the strip that fitTo keeps clear of zones: in the bottom left corner the
  // key covered the city's south-western districts once an alert opened.
  alertKey = L.control({ position: 'topright' });
  alertKey.onAdd = () => {
    const div = L.DomUtil.create('div', 'legend alert-key');
    div.id = 'alert-key';
    div.hidden = true;
    div.innerHTML = '<h4>Alerts</h4>' + SEVERITIES.slice().reverse().map((s) =>
      `<div class="row"><span class="swatch" style="background:${SEVERITY_COLOURS[s]}"></span>${s}</div>`).join('')
      + '<div class="note"><span class="key-outline"></span> zone <span class="key-sensor">!</span> sensor</div>';
    return div;
  };
  alertKey.addTo(map);
  map.on('zoomend', placeDistrictLabels);
}

/** Draws the district outlines and labels; fits the map to them when `fit`. */
export function drawDistricts(geojson, fit) {
  if (!map) return;
  districtLayer = L.geoJSON(geojson, {
    pane: 'outlines',
    className: 'district-outline',
    interactive: false,
    style: { color: '#1b1f24', weight: 2, opacity: 0.9, fill: false },
  }).addTo(map);
  for (const f of geojson.features || []) {
    const p = f.properties || {};
    const at = centroid(f.geometry);
    if (!at) continue;
    const { latin, cjk } = splitName(p.zone_name || p.name || p.zone_id || p.code || '');
    const html = `<span>${escapeHtml(latin)}${cjk ? `<br>${escapeHtml(cjk)}` : ''}</span>`;
    const marker = L.marker(at, {
      pane: 'labels',
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: 'district-label', html, iconSize: [0, 0] }),
    }).addTo(map);
    districtLabels.push({ marker, bounds: L.geoJSON(f).getBounds() });
  }
  placeDistrictLabels();
  if (fit) fitTo(districtLayer.getBounds());
}

/**
 * Draws exactly `features` (the selection's zones), each coloured by `scale`;
 * `newestEnd` is the data's clock, against which a window is stale. Fits the map the first
 * time a zone kind has data.
 */
export function renderZones({ features, zoneKind, scale, newestEnd, selectedZone }) {
  if (!map) return;
  view = { scale, newestEnd, selectedZone };
  const wanted = new Set(features.map((f) => f.id));
  for (const [id, layer] of zoneLayers) {
    if (!wanted.has(id)) {
      zoneLayer.removeLayer(layer);
      zoneLayers.delete(id);
    }
  }
  for (const f of features) {
    let layer = zoneLayers.get(f.id);
    if (!layer) {
      zoneLayer.addData(f);
      layer = lastAddedZone;
      zoneLayers.set(f.id, layer);
      // Names the path, for whoever inspects the page (and the browser test).
      layer.getElement()?.setAttribute('data-zone-id', f.properties.zone_id);
    }
    layer.feature = f;
    layer.setStyle(zoneStyle(f));
    // An open tooltip shows the new window too (its content is a function of the feature).
    if (layer.isTooltipOpen()) layer.getTooltip().update();
  }
  document.getElementById('map').dataset.zones = String(features.length);
  if (features.length && !fitted.has(zoneKind)) {
    fitted.add(zoneKind);
    const bounds = zoneKind === 'district' && districtLayer ? districtLayer.getBounds() : coreBounds(features);
    if (bounds.isValid()) fitTo(bounds);
  }
}

/**
 * Draws exactly the alert outlines `zones` and sensor markers `sensors` (alertZones and
 * alertSensors of alerts.js), adding, restyling and removing by alert and sensor id, so that an
 * alert that opens, escalates or clears changes the map without a reload.
 */
export function renderAlerts({ zones, sensors }) {
  if (!map) return;
  const wanted = new Set(zones.map((z) => z.id));
  for (const [id, o] of alertOutlines) {
    if (!wanted.has(id)) {
      o.casing.remove();
      o.line.remove();
      alertOutlines.delete(id);
    }
  }
  // In the given order, each brought to the front: the most severe ends on top.
  for (const z of zones) {
    let o = alertOutlines.get(z.id);
    if (!o) {
      o = {
        casing: L.geoJSON(z.feature, { pane: 'alerts', interactive: false, className: 'alert-casing' }),
        line: L.geoJSON(z.feature, { pane: 'alerts', className: 'alert-zone' }),
      };
      o.line.bindTooltip(() => linesHtml(o.feature.properties), { sticky: true, className: 'zone-tip' });
      o.casing.addTo(map);
      o.line.addTo(map);
      alertOutlines.set(z.id, o);
    }
    o.feature = z.feature;
    const p = z.feature.properties;
    // The cells of a roll-up: thinner and dashed, inside their district's outline.
    o.casing.setStyle({ color: '#111418', weight: z.rolledUp ? 4 : 9, opacity: 0.85, fill: false });
    o.line.setStyle({
      color: z.colour, weight: z.rolledUp ? 2 : 5, opacity: 1, fill: false, dashArray: z.rolledUp ? '6 4' : null,
    });
    o.casing.bringToFront();
    o.line.bringToFront();
    o.line.eachLayer((l) => {
      const el = l.getElement();
      if (!el) return;
      // Names the path, for whoever inspects the page (and the browser test).
      el.setAttribute('data-alert-id', z.id);
      el.setAttribute('data-subject-kind', p.subject_kind);
      el.setAttribute('data-subject-id', p.subject_id);
      el.setAttribute('data-severity', z.severity);
      el.setAttribute('data-rolled-up', String(z.rolledUp));
      el.setAttribute('aria-label', alertLabel(p));
    });
  }

  const marked = new Set(sensors.map((s) => s.sensorId));
  for (const [id, marker] of alertMarkers) {
    if (!marked.has(id)) {
      marker.remove();
      alertMarkers.delete(id);
    }
  }
  const permanent = sensors.length <= PERMANENT_SENSOR_LABELS;
  for (const s of sensors) {
    const label = s.alerts.map((a) => alertLabel(a.properties)).join('; ');
    const icon = L.divIcon({
      className: 'alert-sensor',
      html: `<span style="background:${s.colour};color:${severityInk(s.severity)}" aria-hidden="true">!</span>`,
      iconSize: [30, 30],
    });
    let marker = alertMarkers.get(s.sensorId);
    if (!marker) {
      marker = L.marker([s.lat, s.lon], { icon, keyboard: true, riseOnHover: true, zIndexOffset: 1000 }).addTo(map);
      alertMarkers.set(s.sensorId, marker);
    } else {
      marker.setLatLng([s.lat, s.lon]);
      // A new icon only when the severity changed: a new element would lose the keyboard focus.
      if (marker.severity !== s.severity) marker.setIcon(icon);
    }
    marker.severity = s.severity;
    // Few sensors: a short permanent label (sensor, value against threshold) that leaves the
    // zones around it visible, the rest on hover (title); many: everything on hover only.
    const top = s.alerts[0].properties;
    const more = s.alerts.length > 1 ? ` (+${s.alerts.length - 1})` : '';
    const html = permanent
      ? `<b>${escapeHtml(top.subject_name)}</b> ${escapeHtml(valueText(top))}${more}`
      : s.alerts.map((a) => linesHtml(a.properties)).join('<hr>');
    if (marker.getTooltip() && marker.getTooltip().options.permanent === permanent) {
      marker.setTooltipContent(html);
    } else {
      marker.unbindTooltip();
      // 'auto': on the side of the marker towards the map's centre, so a label stays on the map.
      marker.bindTooltip(html, { permanent, direction: 'auto', offset: [16, 0], className: 'alert-tip' });
    }
    const el = marker.getElement();
    el.setAttribute('data-sensor-id', s.sensorId);
    el.setAttribute('data-severity', s.severity);
    el.setAttribute('aria-label', label);
    el.setAttribute('title', s.alerts.map((a) => alertLines(a.properties).join('\n')).join('\n\n'));
  }

  const mapEl = document.getElementById('map');
  mapEl.dataset.alertZones = String(zones.length);
  mapEl.dataset.alertSensors = String(sensors.length);
  const key = document.getElementById('alert-key');
  if (key) key.hidden = zones.length + sensors.length === 0;
}

/** An alert's label lines as tooltip HTML, the first (severity and subject) in bold. */
function linesHtml(p) {
  const [who, ...rest] = alertLines(p).map(escapeHtml);
  return [`<b>${who}</b>`, ...rest].join('<br>');
}

function isStale(p) {
  const end = Date.parse(p.window_end);
  const length = end - Date.parse(p.window_start);
  return end < view.newestEnd - STALE_WINDOWS * length;
}

function zoneStyle(f) {
  const p = f.properties;
  const v = valueOf(p, p.metric);
  const stale = isStale(p);
  const z = view.selectedZone;
  const chosen = z && z.zoneKind === p.zone_kind && z.zoneId === p.zone_id;
  return {
    fillColor: v == null || !view.scale ? '#9aa3ad' : view.scale.colour(v),
    fillOpacity: stale ? 0.25 : 0.78,
    color: chosen ? '#000' : '#333',
    weight: chosen ? 4 : 0.8,
    opacity: 1,
    dashArray: stale ? '4 4' : null,
  };
}

function zoneTooltip(f) {
  const p = f.properties;
  const m = metric(p.metric);
  const v = valueOf(p, p.metric);
  const lines = [
    `<b>${escapeHtml(p.zone_name || p.zone_id)}</b>`,
    `${escapeHtml(m.label)} ${escapeHtml(m.valueLabel)}: <b>${formatValue(v, p.metric)}</b> ${escapeHtml(m.unitLabel)}`,
    `${formatCount(p.count)} readings from ${formatCount(p.distinct_sensors)} sensors`,
    `window ${clock(Date.parse(p.window_start))}–${clock(Date.parse(p.window_end))}`,
  ];
  const band = v == null || !view.scale ? '' : view.scale.band(v);
  if (band) lines.push(escapeHtml(band));
  for (const t of m.thresholds) {
    if (v != null && v > t.value) lines.push(`above ${escapeHtml(t.label)} (${formatTick(t.value)})`);
  }
  return lines.join('<br>');
}

/**
 * Where most zones are: with many small zones (H3 cells), the box between the 10th and 90th
 * percentile of their centres, so that a few sensors in outlying towns do not shrink the city
 * centre to dots; with few, all of them.
 */
function coreBounds(features) {
  const layers = features.map((f) => zoneLayers.get(f.id)).filter(Boolean);
  if (layers.length < 20) return L.featureGroup(layers).getBounds();
  const centres = layers.map((l) => l.getBounds().getCenter());
  const pick = (values, q) => values.sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
  const lats = centres.map((c) => c.lat);
  const lngs = centres.map((c) => c.lng);
  return L.latLngBounds([pick(lats, 0.1), pick(lngs, 0.1)], [pick(lats, 0.9), pick(lngs, 0.9)]);
}

/** Fits the map to bounds, keeping them clear of the legend in the top right corner. */
function fitTo(bounds) {
  map.fitBounds(bounds, { paddingTopLeft: [20, 20], paddingBottomRight: [legendWidth() + 20, 20], maxZoom: 14 });
}

/** Shows a district's label only where its zone is wide enough on screen to hold it. */
function placeDistrictLabels() {
  for (const { marker, bounds } of districtLabels) {
    const el = marker.getElement();
    if (!el) continue;
    const a = map.latLngToContainerPoint(bounds.getSouthWest());
    const b = map.latLngToContainerPoint(bounds.getNorthEast());
    el.style.display = Math.abs(b.x - a.x) >= 90 && Math.abs(a.y - b.y) >= 40 ? '' : 'none';
  }
}

/**
 * A district's label from a name such as "Wuhua District 五华区": the Latin name without its
 * administrative suffix, and the Chinese name.
 */
function splitName(name) {
  const m = /^([^\u2e80-\u9fff]*?)\s*([\u2e80-\u9fff].*)?$/.exec(name);
  const latin = (m ? m[1] : name)
    .replace(/\s+(Yi|Hui|Miao|Bai|Dai|and|Autonomous|District|County|City|Prefecture)(\s.*)?$/, '');
  const cjk = m && m[2] ? m[2] : '';
  return latin ? { latin, cjk } : { latin: cjk || name, cjk: '' };
}

/** Area-weighted centroid of the largest ring of a polygon or multipolygon, as [lat, lon]. */
function centroid(geometry) {
  if (!geometry) return null;
  const rings = geometry.type === 'Polygon' ? [geometry.coordinates[0]]
    : geometry.type === 'MultiPolygon' ? geometry.coordinates.map((p) => p[0]) : [];
  let best = null;
  for (const ring of rings) {
    let a = 0; let x = 0; let y = 0;
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0, y0] = ring[i];
      const [x1, y1] = ring[i + 1];
      const c = x0 * y1 - x1 * y0;
      a += c; x += (x0 + x1) * c; y += (y0 + y1) * c;
    }
    if (a !== 0 && (!best || Math.abs(a) > best.area)) best = { area: Math.abs(a), at: [y / (3 * a), x / (3 * a)] };
  }
  return best && best.at;
}
