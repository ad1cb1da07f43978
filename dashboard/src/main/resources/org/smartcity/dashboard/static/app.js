// Live dashboard for presenters: a map of zones coloured by the current value of a metric, the
// city's headline figures, a zone's last hour, and data quality, kept current from the server's
// event stream. Vanilla ES2020, no build step; Leaflet is the only library (from its WebJar).
// Works offline: without a tile URL the district outlines and labels are the base map.
'use strict';

(() => {
  // ---------------------------------------------------------------------------------------------
  // Presentation of metrics: labels, units, colour scales.

  const METRIC_LABELS = {
    pm25: 'PM2.5', pm10: 'PM10', no2: 'NO₂', o3: 'O₃', noise: 'Noise',
    temperature: 'Temperature', humidity: 'Humidity', traffic: 'Traffic', water_level: 'Water level',
  };
  const UNIT_LABELS = { 'ug/m3': 'µg/m³', degC: '°C' };
  const DECIMALS = { traffic: 0, water_level: 2 };

  // China's AQI bands (HJ 633-2012, breakpoints of the 24-hour mean) with their official colours.
  const AQI_NAMES = [
    'Good', 'Moderate', 'Lightly polluted', 'Moderately polluted', 'Heavily polluted',
    'Severely polluted',
  ];
  const AQI_NAMES_ZH = ['优', '良', '轻度污染', '中度污染', '重度污染', '严重污染'];
  const AQI_COLOURS = ['#00e400', '#ffff00', '#ff7e00', '#ff0000', '#99004c', '#7e0023'];
  const AQI_BREAKS = { pm25: [35, 75, 115, 150, 250], pm10: [50, 150, 250, 350, 420] };

  const YL_OR_RD = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];
  const BLUES = ['#eff3ff', '#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
  const RD_YL_BU = ['#313695', '#4575b4', '#74add1', '#abd9e9', '#fee090', '#fdae61', '#f46d43',
    '#d73027', '#a50026'];
  const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

  // Fixed domains keep colours comparable from one minute to the next; values outside widen
  // them. Metrics without one (totals, levels that depend on the site) scale to the data.
  const SEQUENTIAL = {
    no2: { ramp: YL_OR_RD, domain: [0, 200] },
    o3: { ramp: YL_OR_RD, domain: [0, 240] },
    noise: { ramp: YL_OR_RD, domain: [35, 85] },
    temperature: { ramp: RD_YL_BU, domain: [-5, 35] },
    humidity: { ramp: BLUES, domain: [0, 100] },
    traffic: { ramp: YL_OR_RD, domain: null },
    water_level: { ramp: BLUES, domain: null },
  };
  const NEUTRAL = '#0b4f9c';

  const metricLabel = (id) => METRIC_LABELS[id] || id;
  const unitLabel = (unit) => (unit == null ? '' : UNIT_LABELS[unit] || unit);

  function formatValue(value, metricId) {
    if (value == null || !Number.isFinite(value)) return '–';
    const d = DECIMALS[metricId] ?? 1;
    return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }

  /** An axis or legend tick: no more decimals than the tick needs. */
  const formatTick = (v) => Number(v.toFixed(6)).toLocaleString('en-US', { maximumFractionDigits: 3 });

  const formatCount = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

  /** The statistic a metric's headline value is, from its aggregation in /api/config. */
  function statisticOf(metricId) {
    const agg = String(state.metrics.get(metricId)?.aggregation || 'mean').toLowerCase();
    if (agg.includes('sum')) return 'sum';
    if (agg.includes('max')) return 'max';
    if (agg.includes('min')) return 'min';
    return 'mean';
  }

  function aggregationLabel(metricId) {
    const agg = String(state.metrics.get(metricId)?.aggregation || 'mean').toLowerCase();
    if (agg.includes('energetic') || agg.includes('leq') || metricId === 'noise') return 'Leq (energetic mean)';
    return { sum: 'total', max: 'maximum', min: 'minimum' }[statisticOf(metricId)] || 'mean';
  }

  const valueOf = (props, metricId) => {
    const v = props[statisticOf(metricId)];
    return typeof v === 'number' ? v : null;
  };

  function hexToRgb(hex) {
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

  /**
   * The colour scale of a metric over the given values: AQI bands for particulates, otherwise a
   * sequential ramp over a fixed domain widened by the data (or the data's own range).
   */
  function scaleFor(metricId, values) {
    const breaks = AQI_BREAKS[metricId];
    if (breaks) {
      return {
        kind: 'bands',
        breaks,
        colour: (v) => AQI_COLOURS[breaks.filter((b) => v >= b).length],
        band: (v) => AQI_NAMES[breaks.filter((b) => v >= b).length],
      };
    }
    const spec = SEQUENTIAL[metricId] || { ramp: VIRIDIS, domain: null };
    const finite = values.filter(Number.isFinite);
    let lo = spec.domain ? spec.domain[0] : Math.min(0, ...finite);
    let hi = spec.domain ? spec.domain[1] : niceCeil(Math.max(...finite, 0));
    if (finite.length) {
      lo = Math.min(lo, Math.floor(Math.min(...finite)));
      hi = Math.max(hi, Math.ceil(Math.max(...finite)));
    }
    if (!(hi > lo)) hi = lo + 1;
    return {
      kind: 'ramp',
      ramp: spec.ramp,
      domain: [lo, hi],
      colour: (v) => rampColour(spec.ramp, (v - lo) / (hi - lo)),
      band: () => '',
    };
  }

  function niceCeil(v) {
    if (!(v > 0)) return 1;
    const p = 10 ** Math.floor(Math.log10(v));
    return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v);
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

  function lengthMillis(label) {
    const m = /^(\d+)(ms|s|m|h|d)$/.exec(label || '');
    if (!m) return 60_000;
    return Number(m[1]) * { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2]];
  }

  function windowLabel(label) {
    const m = /^(\d+)(s|m|h|d)$/.exec(label || '');
    if (!m) return label || '';
    return `${m[1]}-${{ s: 'second', m: 'minute', h: 'hour', d: 'day' }[m[2]]}`;
  }

  const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

  function escapeHtml(s) {
    return String(s ?? '').replace(/[&<>"']/g, (c) => ({
      '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
    })[c]);
  }

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------------------------
  // State: the newest feature per live id, the selection, the status.

  const state = {
    config: null,
    metrics: new Map(),
    metric: null,
    zoneKind: 'district',
    windowLength: '1m',
    live: new Map(), // live feature id -> GeoJSON feature (the current window length only)
    status: null,
    selectedZone: null, // { zoneKind, zoneId, name }
    fitted: new Set(), // zone kinds whose data the map has been fitted to
  };

  /** Whether feature a is a newer window, or a newer revision of the same one, than b. */
  function isNewer(a, b) {
    const pa = a.properties;
    const pb = b.properties;
    const sa = Date.parse(pa.window_start);
    const sb = Date.parse(pb.window_start);
    if (sa !== sb) return sa > sb;
    if ((pa.revision ?? 0) !== (pb.revision ?? 0)) return (pa.revision ?? 0) > (pb.revision ?? 0);
    return (Date.parse(pa.updated) || 0) >= (Date.parse(pb.updated) || 0);
  }

  function liveIdOf(f) {
    const p = f.properties;
    return f.id || `${p.metric}|${p.zone_kind}|${p.zone_id}|${p.window_length}`;
  }

  /** Keeps a feature unless a newer one of its id is held; true when it changed the state. */
  function merge(feature) {
    if (!feature || !feature.properties) return false;
    if (feature.properties.window_length !== state.windowLength) return false;
    const id = liveIdOf(feature);
    const held = state.live.get(id);
    if (held && !isNewer(feature, held)) return false;
    state.live.set(id, feature);
    return true;
  }

  const selected = () =>
    [...state.live.values()].filter((f) =>
      f.properties.metric === state.metric && f.properties.zone_kind === state.zoneKind);

  const cityFeature = (metricId) =>
    [...state.live.values()].find((f) =>
      f.properties.metric === metricId && f.properties.zone_kind === 'city');

  /** The newest window end held: the data's own clock, right also when replaying old data. */
  function dataClock() {
    let newest = 0;
    for (const f of state.live.values()) newest = Math.max(newest, Date.parse(f.properties.window_end) || 0);
    return newest;
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP.

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    return response.json();
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
    return q.toString();
  }

  let messageTimer = null;
  function showMessage(text, sticky = false) {
    const el = $('map-message');
    if (el.dataset.sticky) return;
    el.textContent = text;
    el.hidden = !text;
    clearTimeout(messageTimer);
    if (sticky) el.dataset.sticky = 'true';
    else if (text) messageTimer = setTimeout(() => { el.hidden = true; }, 15_000);
  }

  // ---------------------------------------------------------------------------------------------
  // Map.

  let map = null;
  let zoneLayer = null;
  const zoneLayers = new Map(); // live id -> Leaflet layer
  let districtLayer = null;
  const districtLabels = [];
  let legend = null;
  let lastAddedZone = null; // set by onEachFeature while addData runs

  function createMap(config) {
    map = L.map('map', { zoomSnap: 0.25, zoomControl: true, attributionControl: !!config.tileUrl });
    map.createPane('zones').style.zIndex = 410;
    map.createPane('outlines').style.zIndex = 450;
    map.getPane('outlines').style.pointerEvents = 'none';
    map.createPane('labels').style.zIndex = 460;
    map.getPane('labels').style.pointerEvents = 'none';
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || '', maxZoom: 18 }).addTo(map);
    }
    const [minLon, minLat, maxLon, maxLat] = config.bbox || [102.17, 24.38, 103.67, 26.37];
    map.fitBounds([[minLat, minLon], [maxLat, maxLon]]);

    zoneLayer = L.geoJSON(null, {
      pane: 'zones',
      className: 'zone',
      style: (f) => zoneStyle(f, currentScale),
      onEachFeature: (f, layer) => {
        lastAddedZone = layer;
        layer.bindTooltip(() => zoneTooltip(layer.feature), { sticky: true, className: 'zone-tip' });
        layer.on('click', () => selectZone(layer.feature));
      },
    }).addTo(map);

    legend = L.control({ position: 'topright' });
    legend.onAdd = () => {
      const div = L.DomUtil.create('div', 'legend');
      div.id = 'legend';
      return div;
    };
    legend.addTo(map);
    map.on('zoomend', placeDistrictLabels);
  }

  function drawDistricts(geojson) {
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
    if (state.zoneKind === 'district') fitTo(districtLayer.getBounds());
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

  /**
   * Where most zones are: with many small zones (H3 cells), the box between the 10th and 90th
   * percentile of their centres, so that a few sensors in outlying towns do not shrink the city
   * centre to dots; with few, all of them.
   */
  function coreBounds(features) {
    const layers = features.map((f) => zoneLayers.get(liveIdOf(f))).filter(Boolean);
    if (layers.length < 20) return L.featureGroup(layers).getBounds();
    const centres = layers.map((l) => l.getBounds().getCenter());
    const pick = (values, q) => values.sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
    const lats = centres.map((c) => c.lat);
    const lngs = centres.map((c) => c.lng);
    return L.latLngBounds([pick(lats, 0.1), pick(lngs, 0.1)], [pick(lats, 0.9), pick(lngs, 0.9)]);
  }

  /** Fits the map to bounds, keeping them clear of the legend in the top right corner. */
  function fitTo(bounds) {
    const legendWidth = $('legend')?.offsetWidth || 0;
    map.fitBounds(bounds, { paddingTopLeft: [20, 20], paddingBottomRight: [legendWidth + 20, 20], maxZoom: 14 });
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

  let currentScale = scaleFor('pm25', []);

  function isStale(f, newest) {
    return Date.parse(f.properties.window_end) < newest - 3 * lengthMillis(state.windowLength);
  }

  let newestForStyle = 0;
  function zoneStyle(f, scale) {
    const v = valueOf(f.properties, state.metric);
    const stale = isStale(f, newestForStyle);
    const chosen = state.selectedZone && state.selectedZone.zoneKind === f.properties.zone_kind
      && state.selectedZone.zoneId === f.properties.zone_id;
    return {
      fillColor: v == null ? '#9aa3ad' : scale.colour(v),
      fillOpacity: stale ? 0.25 : 0.78,
      color: chosen ? '#000' : '#333',
      weight: chosen ? 4 : 0.8,
      opacity: 1,
      dashArray: stale ? '4 4' : null,
    };
  }

  function zoneTooltip(f) {
    const p = f.properties;
    const v = valueOf(p, p.metric);
    const unit = unitLabel(p.unit || state.metrics.get(p.metric)?.unit);
    const lines = [
      `<b>${escapeHtml(p.zone_name || p.zone_id)}</b>`,
      `${escapeHtml(metricLabel(p.metric))} ${escapeHtml(aggregationLabel(p.metric))}: <b>${formatValue(v, p.metric)}</b> ${escapeHtml(unit)}`,
      `${formatCount(p.count)} readings from ${formatCount(p.distinct_sensors)} sensors`,
      `window ${clock(Date.parse(p.window_start))}–${clock(Date.parse(p.window_end))}`,
    ];
    const band = v == null ? '' : currentScale.band(v);
    if (band) lines.push(escapeHtml(band));
    for (const t of state.metrics.get(p.metric)?.thresholds || []) {
      if (v != null && v > t.value) lines.push(`above ${escapeHtml(t.label)} (${formatTick(t.value)})`);
    }
    return lines.join('<br>');
  }

  function renderZones() {
    if (!map) return;
    const features = selected();
    newestForStyle = dataClock();
    currentScale = scaleFor(state.metric, features.map((f) => valueOf(f.properties, state.metric)));
    const wanted = new Set(features.map(liveIdOf));
    for (const [id, layer] of zoneLayers) {
      if (!wanted.has(id)) {
        zoneLayer.removeLayer(layer);
        zoneLayers.delete(id);
      }
    }
    for (const f of features) {
      const id = liveIdOf(f);
      let layer = zoneLayers.get(id);
      if (!layer) {
        zoneLayer.addData(f);
        layer = lastAddedZone;
        zoneLayers.set(id, layer);
        // Names the path, for whoever inspects the page (and the browser test).
        layer.getElement()?.setAttribute('data-zone-id', f.properties.zone_id);
      }
      layer.feature = f;
      layer.setStyle(zoneStyle(f, currentScale));
      // An open tooltip shows the new window too (its content is a function of the feature).
      if (layer.isTooltipOpen()) layer.getTooltip().update();
    }
    $('map').dataset.zones = String(features.length);
    if (features.length && !state.fitted.has(state.zoneKind)) {
      state.fitted.add(state.zoneKind);
      const bounds = state.zoneKind === 'district' && districtLayer ? districtLayer.getBounds() : coreBounds(features);
      if (bounds.isValid()) fitTo(bounds);
    }
    renderLegend(features.length);
  }

  function renderLegend(zoneCount) {
    const el = $('legend');
    if (!el) return;
    const m = state.metrics.get(state.metric) || {};
    const unit = unitLabel(m.unit);
    const s = currentScale;
    let body = '';
    if (s.kind === 'bands') {
      const edges = [0, ...s.breaks];
      body = AQI_COLOURS.map((c, i) => {
        const range = i < s.breaks.length ? `${edges[i]}–${s.breaks[i]}` : `≥ ${s.breaks[s.breaks.length - 1]}`;
        return `<div class="row"><span class="swatch" style="background:${c}"></span>${range} ${AQI_NAMES[i]} ${AQI_NAMES_ZH[i]}</div>`;
      }).join('') + '<div class="note">China AQI bands (HJ 633-2012, 24-h breakpoints)</div>';
    } else {
      const [lo, hi] = s.domain;
      const stops = s.ramp.map((c, i) => `${c} ${(100 * i) / (s.ramp.length - 1)}%`).join(', ');
      const marks = (m.thresholds || []).filter((t) => t.value >= lo && t.value <= hi)
        .map((t) => `<span style="position:absolute;left:${(100 * (t.value - lo)) / (hi - lo)}%;top:-3px;bottom:-3px;border-left:3px dashed #b00020"></span>`)
        .join('');
      body = `<div class="ramp" style="position:relative;background:linear-gradient(to right, ${stops})">${marks}</div>`
        + `<div class="ramp-ticks"><span>${formatTick(lo)}</span>`
        + `<span>${formatTick((lo + hi) / 2)}</span><span>${formatTick(hi)}</span></div>`;
    }
    const thresholds = (m.thresholds || []).map((t) =>
      `<div class="threshold">${escapeHtml(t.label)}: ${formatTick(t.value)} ${escapeHtml(unit)}</div>`).join('');
    const kind = state.zoneKind === 'h3' ? 'H3 cells' : 'districts';
    el.innerHTML = `<h4>${escapeHtml(metricLabel(state.metric))} (${escapeHtml(unit)})</h4>`
      + `<div class="note" style="margin-top:0">${escapeHtml(aggregationLabel(state.metric))}, ${escapeHtml(windowLabel(state.windowLength))} windows, ${zoneCount} ${kind}</div>`
      + body + thresholds
      + '<div class="note">Faded, dashed: no data for three windows</div>';
  }

  // ---------------------------------------------------------------------------------------------
  // Side panels.

  function buildHeadlines() {
    const box = $('headlines');
    box.innerHTML = '';
    for (const m of state.metrics.values()) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'headline';
      b.dataset.headline = m.id;
      b.innerHTML = `<span class="name">${escapeHtml(metricLabel(m.id))}</span>`
        + `<span class="value">–</span> <span class="unit">${escapeHtml(unitLabel(m.unit))}</span>`
        + '<span class="band"></span>';
      b.addEventListener('click', () => setSelection({ metric: m.id }));
      box.appendChild(b);
    }
  }

  function renderHeadlines() {
    let newestEnd = 0;
    for (const m of state.metrics.values()) {
      const el = document.querySelector(`[data-headline="${CSS.escape(m.id)}"]`);
      if (!el) continue;
      const f = cityFeature(m.id);
      const v = f ? valueOf(f.properties, m.id) : null;
      el.querySelector('.value').textContent = formatValue(v, m.id);
      el.dataset.value = v == null ? '' : String(v);
      el.setAttribute('aria-pressed', String(m.id === state.metric));
      const scale = AQI_BREAKS[m.id] || SEQUENTIAL[m.id]?.domain ? scaleFor(m.id, []) : null;
      el.style.borderLeftColor = v != null && scale ? scale.colour(v) : v != null ? NEUTRAL : '';
      // The AQI band, and the highest reference value exceeded ("> WHO 15", "> GB 75").
      const over = (m.thresholds || []).filter((t) => v != null && v > t.value)
        .sort((a, b) => b.value - a.value);
      const notes = [];
      if (v != null && scale && scale.kind === 'bands') notes.push(scale.band(v));
      if (over.length) notes.push(`> ${over[0].label.split(' ')[0]} ${formatTick(over[0].value)}`);
      el.querySelector('.band').textContent = notes.join(' · ');
      if (f) newestEnd = Math.max(newestEnd, Date.parse(f.properties.window_end) || 0);
    }
    $('city-window').textContent = newestEnd
      ? `${windowLabel(state.windowLength)} window to ${clock(newestEnd)}` : '';
  }

  function renderStatus() {
    const s = state.status;
    if (!s) return;
    $('readings-per-minute').textContent = formatCount(s.readingsPerMinute);
    $('active-sensors').textContent = formatCount(s.sensors?.active);
    $('total-sensors').textContent = s.sensors ? `of ${formatCount(s.sensors.total)}` : '';

    const reasons = Object.entries(s.rejectedByReason || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    const max = Math.max(1, ...reasons.map(([, n]) => n));
    $('rejected-total').textContent = `(${formatCount(s.rejectedTotal ?? reasons.reduce((a, [, n]) => a + n, 0))})`;
    $('rejected-table').tBodies[0].innerHTML = reasons.length
      ? reasons.map(([reason, n]) => `<tr data-reason="${escapeHtml(reason)}"><td>${escapeHtml(reason)}</td>`
        + `<td class="bar-cell"><span style="width:${(100 * n) / max}%"></span></td><td class="num">${formatCount(n)}</td></tr>`).join('')
      : '<tr><td class="none">none</td></tr>';

    const silent = [...(s.sensors?.silent || [])].sort((a, b) => Date.parse(a.lastSeen) - Date.parse(b.lastSeen));
    $('silent-count').textContent = `(${silent.length})`;
    const shown = silent.slice(0, 8);
    const now = Date.now();
    $('silent-table').tBodies[0].innerHTML = shown.length
      ? shown.map((x) => `<tr><td class="sensor">${escapeHtml(x.sensorId)}</td><td>${escapeHtml(metricLabel(x.metric))}</td>`
        + `<td class="num">${escapeHtml(ago(now - Date.parse(x.lastSeen)))}</td></tr>`).join('')
        + (silent.length > shown.length ? `<tr><td colspan="3" class="muted">and ${silent.length - shown.length} more</td></tr>` : '')
      : `<tr><td class="none">none silent${s.silentAfterSeconds ? ` for over ${s.silentAfterSeconds} s` : ''}</td></tr>`;
  }

  function ago(ms) {
    if (!Number.isFinite(ms)) return '';
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 120) return `${s} s`;
    if (s < 7200) return `${Math.round(s / 60)} min`;
    return `${Math.round(s / 3600)} h`;
  }

  // ---------------------------------------------------------------------------------------------
  // A zone's last hour.

  let chartTimer = null;

  function selectZone(feature) {
    const p = feature.properties;
    state.selectedZone = { zoneKind: p.zone_kind, zoneId: p.zone_id, name: p.zone_name || p.zone_id };
    scheduleRender();
    loadChart();
  }

  function closeChart() {
    state.selectedZone = null;
    clearInterval(chartTimer);
    chartTimer = null;
    $('chart-panel').hidden = true;
    scheduleRender();
  }

  async function loadChart() {
    const zone = state.selectedZone;
    if (!zone) return;
    const metric = state.metric;
    const end = dataClock() || Date.now();
    const start = end - 3600e3;
    if ($('chart-panel').hidden) {
      $('chart-panel').hidden = false;
      $('chart-panel').scrollIntoView({ block: 'nearest' });
    }
    $('chart-title').textContent = `${zone.name}: ${metricLabel(metric)}, last hour`;
    clearInterval(chartTimer);
    chartTimer = setInterval(loadChart, 30_000);
    try {
      const series = await getJson(`/api/timeseries?${query({
        metric, zone_kind: zone.zoneKind, zone_id: zone.zoneId, window_length: '1m',
        datetime: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`,
      })}`);
      if (state.selectedZone === zone && state.metric === metric) drawChart(series, metric, start, end);
    } catch (e) {
      $('chart').innerHTML = `<p class="empty">No history: ${escapeHtml(e.message)}</p>`;
    }
  }

  function drawChart(series, metric, start, end) {
    const unit = unitLabel(series.unit || state.metrics.get(metric)?.unit);
    const stat = statisticOf(metric);
    const band = stat === 'mean';
    const points = (series.points || [])
      .map((p) => ({ t: Date.parse(p.t), v: p[stat], lo: p.min, hi: p.max }))
      .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
      .sort((a, b) => a.t - b.t);
    const box = $('chart');
    if (!points.length) {
      box.innerHTML = '<p class="empty">No readings in this zone in the last hour.</p>';
      return;
    }
    const W = 560; const H = 260;
    const m = { l: 62, r: 18, t: 14, b: 46 };
    const values = points.flatMap((p) => (band ? [p.v, p.lo, p.hi] : [p.v])).filter(Number.isFinite);
    let lo = Math.min(...values);
    let hi = Math.max(...values);
    const thresholds = (state.metrics.get(metric)?.thresholds || []).filter((t) => t.value <= hi * 1.5 && t.value >= lo * 0.5);
    for (const t of thresholds) { lo = Math.min(lo, t.value); hi = Math.max(hi, t.value); }
    if (lo >= 0 && !['noise', 'temperature', 'water_level', 'humidity'].includes(metric)) lo = 0;
    const yTicks = niceTicks(lo, hi === lo ? lo + 1 : hi, 5);
    lo = yTicks[0];
    hi = yTicks[yTicks.length - 1];
    const x = (t) => m.l + ((t - start) / (end - start)) * (W - m.l - m.r);
    const y = (v) => H - m.b - ((v - lo) / (hi - lo)) * (H - m.t - m.b);

    const parts = [];
    for (const v of yTicks) {
      parts.push(`<line class="grid" x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}"/>`,
        `<text class="tick" x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${formatTick(v)}</text>`);
    }
    const step = 10 * 60e3;
    for (let t = Math.ceil(start / step) * step; t <= end; t += step) {
      parts.push(`<line class="axis" x1="${x(t)}" x2="${x(t)}" y1="${H - m.b}" y2="${H - m.b + 5}"/>`,
        `<text class="tick" x="${x(t)}" y="${H - m.b + 19}" text-anchor="middle">${clock(t)}</text>`);
    }
    parts.push(`<line class="axis" x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}"/>`,
      `<line class="axis" x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}"/>`,
      `<text class="label" x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle">time (1-minute windows)</text>`,
      `<text class="label" transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(metricLabel(metric))} ${escapeHtml(aggregationLabel(metric))} (${escapeHtml(unit)})</text>`);

    // Runs of consecutive windows; a missing minute breaks the line instead of bridging it.
    const runs = [];
    for (const p of points) {
      const last = runs[runs.length - 1];
      if (last && p.t - last[last.length - 1].t <= 60e3 * 1.5) last.push(p); else runs.push([p]);
    }
    for (const run of runs) {
      if (band && run.every((p) => Number.isFinite(p.lo) && Number.isFinite(p.hi))) {
        const top = run.map((p) => `${x(p.t)},${y(p.hi)}`);
        const bottom = run.slice().reverse().map((p) => `${x(p.t)},${y(p.lo)}`);
        parts.push(`<polygon class="range" points="${top.concat(bottom).join(' ')}"/>`);
      }
      parts.push(run.length > 1
        ? `<polyline class="series" points="${run.map((p) => `${x(p.t)},${y(p.v)}`).join(' ')}"/>`
        : `<circle class="dot" cx="${x(run[0].t)}" cy="${y(run[0].v)}" r="3.5"/>`);
    }
    for (const t of thresholds) {
      parts.push(`<line class="threshold" x1="${m.l}" x2="${W - m.r}" y1="${y(t.value)}" y2="${y(t.value)}"/>`,
        `<text class="threshold-label" x="${W - m.r - 4}" y="${y(t.value) - 5}" text-anchor="end">${escapeHtml(t.label)}</text>`);
    }
    const last = points[points.length - 1];
    parts.push(`<circle class="dot" cx="${x(last.t)}" cy="${y(last.v)}" r="5"/>`,
      `<text class="tick" x="${Math.min(x(last.t), W - m.r - 40)}" y="${Math.max(m.t + 12, y(last.v) - 10)}" font-weight="700">${formatValue(last.v, metric)}</text>`);
    box.innerHTML = `<svg viewBox="0 0 ${W} ${H}" data-points="${points.length}" role="img" aria-label="${escapeHtml($('chart-title').textContent)}">${parts.join('')}</svg>`;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering is batched: a burst of events at a window's end redraws once.

  let renderPending = false;
  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    setTimeout(() => {
      renderPending = false;
      renderZones();
      renderHeadlines();
    }, 60);
  }

  // ---------------------------------------------------------------------------------------------
  // Selection and snapshots.

  function setSelection(change) {
    const before = { metric: state.metric, zoneKind: state.zoneKind, windowLength: state.windowLength };
    Object.assign(state, change);
    $('metric-select').value = state.metric;
    $('window-select').value = state.windowLength;
    for (const b of document.querySelectorAll('[data-zone-kind]')) {
      b.setAttribute('aria-checked', String(b.dataset.zoneKind === state.zoneKind));
    }
    const q = new URLSearchParams(location.search);
    q.set('metric', state.metric);
    q.set('zone_kind', state.zoneKind);
    q.set('window_length', state.windowLength);
    history.replaceState(null, '', `${location.pathname}?${q}`);
    if (state.windowLength !== before.windowLength) {
      state.live.clear();
      cityStream.connect();
    }
    if (state.metric !== before.metric || state.zoneKind !== before.zoneKind
        || state.windowLength !== before.windowLength) {
      zoneStream.connect();
    }
    if (state.zoneKind !== before.zoneKind || state.selectedZone?.zoneKind !== state.zoneKind) closeChart();
    scheduleRender();
    if (state.selectedZone && state.metric !== before.metric) loadChart();
  }

  /** Merges a snapshot of the live layer into what the streams brought; newer windows win. */
  async function loadLive(filter) {
    try {
      const body = await getJson(`/api/live?${query({ ...filter, window_length: state.windowLength })}`);
      for (const f of body.features || []) merge(f);
      scheduleRender();
    } catch (e) {
      showMessage(`Live data unavailable: ${e.message}`);
    }
  }

  async function loadStatus() {
    try {
      state.status = await getJson('/api/status');
      renderStatus();
    } catch (e) {
      showMessage(`Status unavailable: ${e.message}`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Live streams, filtered on the server so that a big city's burst at the end of a window sends
  // only what the page shows: the selected metric and zone kind for the map, and the city zone of
  // every metric for the headline figures. Each reconnects by itself: EventSource retries network
  // errors, but gives up on an HTTP error, and a proxy can leave a dead connection open; a
  // watchdog covers both (status events come every few seconds on every stream).

  function liveStream(filter) {
    return {
      source: null,
      open: false,
      retryMillis: 1000,
      lastMessage: 0,
      reconnectTimer: null,

      connect() {
        this.close();
        clearTimeout(this.reconnectTimer);
        const wanted = { ...filter(), window_length: state.windowLength };
        const es = new EventSource(`/api/live/stream?${query(wanted)}`);
        this.source = es;
        this.lastMessage = Date.now();
        es.onopen = () => {
          this.open = true;
          this.retryMillis = 1000;
          this.lastMessage = Date.now();
          updateIndicator();
          // Whatever changed before the stream (re)opened arrives with a snapshot.
          loadLive(filter());
          loadStatus();
        };
        es.addEventListener('aggregate', (e) => {
          this.lastMessage = Date.now();
          const f = JSON.parse(e.data);
          if (merge(f)) {
            scheduleRender();
            const z = state.selectedZone;
            const p = f.properties;
            if (z && p.metric === state.metric && p.zone_kind === z.zoneKind && p.zone_id === z.zoneId) loadChart();
          }
        });
        es.addEventListener('status', (e) => {
          this.lastMessage = Date.now();
          state.status = JSON.parse(e.data);
          renderStatus();
        });
        es.onerror = () => {
          this.open = false;
          updateIndicator();
          if (es.readyState === EventSource.CLOSED) this.scheduleReconnect();
        };
      },

      scheduleReconnect() {
        this.close();
        clearTimeout(this.reconnectTimer);
        this.reconnectTimer = setTimeout(() => this.connect(), this.retryMillis);
        this.retryMillis = Math.min(30_000, this.retryMillis * 2);
      },

      close() {
        this.open = false;
        if (this.source) {
          this.source.close();
          this.source = null;
        }
      },

      watch() {
        if (this.source && Date.now() - this.lastMessage > 30_000) this.scheduleReconnect();
        updateIndicator();
      },
    };
  }

  const zoneStream = liveStream(() => ({ metric: state.metric, zone_kind: state.zoneKind }));
  const cityStream = liveStream(() => ({ zone_kind: 'city' }));
  let everLive = false;

  function updateIndicator() {
    const live = zoneStream.open && cityStream.open;
    everLive = everLive || live;
    const kind = live ? 'live' : everLive ? 'reconnecting' : 'connecting';
    const el = $('live-indicator');
    el.dataset.state = kind;
    el.querySelector('.label').textContent = kind;
  }

  // ---------------------------------------------------------------------------------------------
  // Start.

  async function start() {
    let config;
    try {
      config = await getJson('/api/config');
    } catch (e) {
      showMessage(`Cannot load the configuration (${e.message}); retrying`);
      setTimeout(start, 5000);
      return;
    }
    state.config = config;
    for (const m of config.metrics || []) state.metrics.set(m.id, m);
    const city = config.city ? config.city[0].toUpperCase() + config.city.slice(1) : 'City';
    $('title').textContent = `${city} live`;
    document.title = `${city} live city metrics`;

    const params = new URLSearchParams(location.search);
    const metricIds = [...state.metrics.keys()];
    const kinds = (config.zoneKinds || ['h3', 'district']).filter((k) => k !== 'city');
    const lengths = config.windowLengths || ['1m'];
    const pick = (wanted, allowed, fallback) => (allowed.includes(wanted) ? wanted : fallback);
    state.metric = pick(params.get('metric'), metricIds, metricIds[0]);
    state.zoneKind = pick(params.get('zone_kind'), kinds, kinds.includes('district') ? 'district' : kinds[0]);
    state.windowLength = pick(params.get('window_length'), lengths, lengths[0]);

    $('metric-select').innerHTML = metricIds.map((id) =>
      `<option value="${escapeHtml(id)}">${escapeHtml(metricLabel(id))}</option>`).join('');
    $('window-select').innerHTML = lengths.map((l) =>
      `<option value="${escapeHtml(l)}">${escapeHtml(windowLabel(l))}</option>`).join('');
    for (const b of document.querySelectorAll('[data-zone-kind]')) {
      b.hidden = !kinds.includes(b.dataset.zoneKind);
      b.addEventListener('click', () => setSelection({ zoneKind: b.dataset.zoneKind }));
    }
    $('metric-select').addEventListener('change', (e) => setSelection({ metric: e.target.value }));
    $('window-select').addEventListener('change', (e) => setSelection({ windowLength: e.target.value }));
    $('chart-close').addEventListener('click', closeChart);
    buildHeadlines();

    if (window.L) {
      createMap(config);
    } else {
      // Without the map library the figures and panels still work; say what is missing.
      showMessage('The map library did not load (/webjars/leaflet/): check the dashboard build', true);
    }
    getJson('/api/zones/districts')
      .then(drawDistricts)
      .catch((e) => showMessage(`District outlines unavailable: ${e.message}`));

    setSelection({});
    zoneStream.connect();
    cityStream.connect();
    setInterval(() => { zoneStream.watch(); cityStream.watch(); }, 5000);
    // Keeps "silent for" durations and stale shading current between events.
    setInterval(() => { renderStatus(); scheduleRender(); }, 15_000);
  }

  start();
})();
