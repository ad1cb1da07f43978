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
import { addLegend } from './legend.js';

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
const alertMarkers = new Map(); // sensor id -> Leaflet marker (with its leader line, if any)
let alertKey = null;
/** Up to this many alerting sensors carry a label permanently; more, on hover and focus only. */
const PERMANENT_SENSOR_LABELS = 3;
/** Space between the city and the map's edges or overlays after a fit, in px. */
const FIT_MARGIN = 20;
/** Keeping the city clear of the overlays may cost it at most this many zoom levels (a half). */
const MAX_FIT_LOSS = 1;
// What the map was last fitted to, while the presenter has not moved it since: the fit is then
// done again when the map, the legend or the alert key changes size (the banner opening above the
// map, the key appearing under the legend), so that the city stays clear of them.
let autoFit = null;
let fitting = false; // a move of the page's own, not the presenter's

/** The Leaflet map, or null before createMap (or without Leaflet): for other map modes. */
export function leafletMap() {
  return map;
}

/** Creates the map in #map with the legend; `onZoneClick(properties)` on a zone's click. */
export function createMap(config, onZoneClick) {
  map = L.map('map', { zoomSnap: 0.25, zoomControl: true, attributionControl: !!config.tileUrl });
  // Leaflet follows the window's size, not its container's: the alert banner opening or closing
  // above the map changes only the map's height, and the map would go on drawing for the old one
  // (cut off at the bottom, off centre). Fitted and not moved since: fits again (the overlays
  // may now reach further into the city); else keeps the centre where it was.
  const resized = new ResizeObserver(() => {
    if (autoFit) {
      ownMove(() => map.invalidateSize({ pan: false }));
      refit();
    } else {
      map.invalidateSize();
    }
    placeSensorLabels();
  });
  resized.observe(document.getElementById('map'));
  map.on('movestart zoomstart', () => {
    if (!fitting) autoFit = null;
  });
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
  fitTo(L.latLngBounds([[minLat, minLon], [maxLat, maxLon]]));

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
  resized.observe(document.getElementById('legend'));
  resized.observe(document.getElementById('alert-key'));
  map.on('zoomend', placeDistrictLabels);
  map.on('moveend resize', placeSensorLabels);
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
  // Names each outline, for whoever inspects the page (and the browser test).
  districtLayer.eachLayer((l) => l.getElement()?.setAttribute('data-district-id', districtId(l.feature)));
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
    marker.getElement()?.setAttribute('data-district-id', districtId(f));
    districtLabels.push({ marker, bounds: L.geoJSON(f).getBounds() });
  }
  placeDistrictLabels();
  if (fit) fitTo(districtLayer.getBounds());
}

const districtId = (f) => String((f.properties || {}).zone_id ?? f.id ?? '');

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
      marker.leader?.remove();
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
    // Few sensors: a short permanent label (sensor, value against threshold; two lines, so that it
    // finds room between the district names) that leaves the zones around it visible, the rest on hover (title); many: everything on hover only.
    const top = s.alerts[0].properties;
    const more = s.alerts.length > 1 ? ` (+${s.alerts.length - 1})` : '';
    const html = permanent
      ? `<b>${escapeHtml(top.subject_name)}</b><br>${escapeHtml(valueText(top))}${more}`
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
  placeSensorLabels();
}

/** Leaflet's gap between a tooltip's arrow tip and its box (the margins in leaflet.css), px. */
const TIP_GAP = 6;

/**
 * Where a sensor's permanent label may go, nearest first, as a Leaflet tooltip direction and the
 * offset of its arrow's tip from the marker's centre: beside the marker, right or left (the
 * label's text runs away from the marker), above, below; then in rings 40 px apart further away
 * (up or down beside it, straight above or below, diagonally), joined to the marker by a leader
 * line. The city centre is dense with district names: the label may have to go far.
 */
export const LABEL_SPOTS = [
  ['right', [16, 0]], ['left', [-16, 0]], ['top', [0, -16]], ['bottom', [0, 16]],
  ...[40, 80, 120, 160, 200].flatMap((d) => [
    ['right', [16, -d]], ['right', [16, d]], ['left', [-16, -d]], ['left', [-16, d]],
    ['top', [0, -16 - d]], ['bottom', [0, 16 + d]],
    ['right', [d, -d]], ['right', [d, d]], ['left', [-d, -d]], ['left', [-d, d]],
  ]),
  // Then every 30 degrees up to 300 px away: a phone's small map is crowded.
  ...[60, 120, 180, 240, 300].flatMap((r) => [...Array(12).keys()].map((k) => {
    const x = Math.round(r * Math.cos((k * Math.PI) / 6));
    const y = Math.round(r * Math.sin((k * Math.PI) / 6));
    const direction = x > 0.3 * r ? 'right' : x < -0.3 * r ? 'left' : y > 0 ? 'bottom' : 'top';
    return [direction, [x, y]];
  })),
  // And 8 px apart straight above, below and beside it: a gap between names may be narrow.
  ...[...Array(35).keys()].map((k) => 24 + 8 * k).flatMap((d) => [
    ['bottom', [0, d]], ['top', [0, -d]], ['right', [16, d]], ['right', [16, -d]], ['left', [-16, d]], ['left', [-16, -d]],
  ]),
];
/** The first spots, beside the marker: no leader line. */
const NEAR_SPOTS = 4;

/**
 * The box [left, top, right, bottom] of a label `size` [width, height] placed at `spot` (one of
 * LABEL_SPOTS) of a marker whose centre is at `at` [x, y], as Leaflet places a tooltip.
 */
export function labelBox([x, y], [w, h], [direction, [dx, dy]]) {
  const tx = x + dx;
  const ty = y + dy;
  if (direction === 'right') return [tx + TIP_GAP, ty - h / 2, tx + TIP_GAP + w, ty + h / 2];
  if (direction === 'left') return [tx - TIP_GAP - w, ty - h / 2, tx - TIP_GAP, ty + h / 2];
  if (direction === 'top') return [tx - w / 2, ty - TIP_GAP - h, tx + w / 2, ty - TIP_GAP];
  return [tx - w / 2, ty + TIP_GAP, tx + w / 2, ty + TIP_GAP + h];
}

/** The area two boxes [left, top, right, bottom] share. */
const shared = (a, b) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]))
  * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

/** Whether the segment from `a` to `b` passes through the box `o` (Liang-Barsky). */
function crosses([x0, y0], [x1, y1], o) {
  let from = 0;
  let to = 1;
  const edges = [[x0 - x1, x0 - o[0]], [x1 - x0, o[2] - x0], [y0 - y1, y0 - o[1]], [y1 - y0, o[3] - y0]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else if (p < 0) {
      from = Math.max(from, q / p);
    } else {
      to = Math.min(to, q / p);
    }
  }
  return from <= to;
}

/**
 * What a leader line crossing a district name costs, against the area (px²) of names a label
 * covers: little, so that where no spot is clear a leader through a name (a thin line) is
 * preferred to a label over one.
 */
const CROSSING = 1;

/**
 * Where a sensor's label goes: the first of LABEL_SPOTS whose box lies inside `area` and at least
 * `margin` px clear of every box of `obstacles` (district names, the legend, the alert key, the
 * map's controls, the markers and the labels placed before), and whose leader line, if any, crosses
 * none of them; where none is, the one that covers least of them and leaves least outside the
 * area. Returns {spot, box, leader} (leader: away from the marker).
 */
export function labelSpot(at, size, obstacles, area, margin = 4) {
  const grow = (b) => [b[0] - margin, b[1] - margin, b[2] + margin, b[3] + margin];
  // The marker's own box holds the leader's start: not crossed.
  const crossable = obstacles.filter((o) => !(o[0] <= at[0] && at[0] <= o[2] && o[1] <= at[1] && at[1] <= o[3]))
    .map(grow);
  let best = null;
  LABEL_SPOTS.forEach((spot, i) => {
    const box = labelBox(at, size, spot);
    const grown = grow(box);
    const tip = [at[0] + spot[1][0], at[1] + spot[1][1]];
    const leader = i >= NEAR_SPOTS;
    const cost = obstacles.reduce((sum, o) => sum + shared(grown, o), 0)
      + (size[0] * size[1] - shared(box, area))
      + (leader ? CROSSING * crossable.filter((o) => crosses(at, tip, o)).length : 0);
    if (!best || cost < best.cost) best = { spot, box, leader, cost };
  });
  const { spot, box, leader } = best;
  return { spot, box, leader };
}

/**
 * Places the permanent labels of the alerting sensors so that they hide no district name, no
 * overlay, none of the map's controls and no other marker or label (labelSpot), each away from its
 * marker joined to it by a leader line. Again after every change of the alerts, the view or the
 * map's size.
 */
function placeSensorLabels() {
  if (!map) return;
  const origin = map.getContainer().getBoundingClientRect();
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top];
  };
  const obstacles = [];
  for (const { marker } of districtLabels) {
    const el = marker.getElement();
    if (el && el.style.display !== 'none' && el.firstElementChild) obstacles.push(box(el.firstElementChild));
  }
  // The map's controls: the legend and the alert key (Leaflet controls too), the zoom buttons and
  // the attribution. A label under any of them could not be read.
  for (const el of map.getContainer().querySelectorAll('.leaflet-control')) {
    if (el.offsetWidth) obstacles.push(box(el));
  }
  for (const marker of alertMarkers.values()) {
    if (marker.getElement()) obstacles.push(box(marker.getElement()));
  }
  const size = map.getSize();
  for (const marker of alertMarkers.values()) {
    const tip = marker.getTooltip();
    const el = tip && tip.options.permanent ? tip.getElement() : null;
    if (!el || !el.offsetWidth) {
      marker.leader?.remove();
      marker.leader = null;
      continue;
    }
    const at = map.latLngToContainerPoint(marker.getLatLng());
    const { spot, box: placed, leader } = labelSpot(
      [at.x, at.y], [el.offsetWidth, el.offsetHeight], obstacles, [0, 0, size.x, size.y]);
    tip.options.direction = spot[0];
    tip.options.offset = L.point(spot[1]);
    tip.update();
    obstacles.push(placed);
    if (leader) {
      const end = map.containerPointToLatLng(at.add(L.point(spot[1])));
      if (!marker.leader) {
        marker.leader = L.polyline([], {
          pane: 'alerts', interactive: false, className: 'alert-leader', color: '#111418', weight: 3,
        }).addTo(map);
      }
      marker.leader.setLatLngs([marker.getLatLng(), end]);
    } else if (marker.leader) {
      marker.leader.remove();
      marker.leader = null;
    }
  }
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

/**
 * The space [width, height] that overlays with the boxes `boxes` ([left, top, right, bottom],
 * relative to a map of `size` [width, height]) take from the map's top right corner, where the
 * legend and under it the alert key are.
 */
export function cornerOf(boxes, [width]) {
  if (!boxes.length) return [0, 0];
  return [width - Math.min(...boxes.map((b) => b[0])), Math.max(...boxes.map((b) => b[3]))];
}

/**
 * The two ways of fitting an area clear of the overlays in the top right corner that take
 * `corner` [width, height] (cornerOf): left of them (a column on the right as wide as they are),
 * or below them (a band at the top as high as they reach); `margin` px from every edge.
 */
export function fitPaddings([width, height], margin) {
  return [
    { paddingTopLeft: [margin, margin], paddingBottomRight: [width + margin, margin] },
    { paddingTopLeft: [margin, height + margin], paddingBottomRight: [margin, margin] },
  ];
}

/** Runs `move` as a move of the page's own, which does not end the automatic fit. */
function ownMove(move) {
  fitting = true;
  try {
    move();
  } finally {
    fitting = false;
  }
}

/**
 * Fits the map to bounds, clear of the legend and the alert key, and keeps it fitted to them until
 * the presenter moves the map (see autoFit).
 */
function fitTo(bounds) {
  autoFit = bounds;
  refit();
}

/** Fits the map to autoFit: left of the overlays or below them, whichever shows it larger. */
function refit() {
  const size = map.getSize();
  if (!size.x || !size.y) return;
  const origin = map.getContainer().getBoundingClientRect();
  const boxes = ['legend', 'alert-key']
    .map((id) => document.getElementById(id))
    .filter((el) => el && el.offsetWidth)
    .map((el) => {
      const r = el.getBoundingClientRect();
      return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top];
    });
  const total = (o) => L.point(o.paddingTopLeft).add(o.paddingBottomRight);
  const whole = fitPaddings([0, 0], FIT_MARGIN)[0];
  // A way that leaves no room at all (overlays as wide as a phone's map) is no way.
  const ways = fitPaddings(cornerOf(boxes, [size.x, size.y]), FIT_MARGIN)
    .filter((o) => total(o).x < size.x && total(o).y < size.y);
  const zoom = (o) => map.getBoundsZoom(autoFit, false, total(o));
  let padding = ways.reduce((best, o) => (zoom(o) > zoom(best) ? o : best), ways[0] || whole);
  // On a phone the overlays take most of the map: the city clear of them would be a thumbnail.
  // There it gets the whole map, under the overlays in part (a finger pans it out).
  if (zoom(padding) < zoom(whole) - MAX_FIT_LOSS) padding = whole;
  ownMove(() => map.fitBounds(autoFit, { ...padding, maxZoom: 14, animate: false }));
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
  placeSensorLabels();
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
