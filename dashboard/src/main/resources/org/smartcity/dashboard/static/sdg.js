// The SDG 11.6.2 panel and map mode for presenters: the city's population-weighted PM2.5 (or
// PM10) for the current local year and today, provisional values marked as such, against the WHO
// 2021 guideline and interim targets and the national limit; the districts ranked, with their
// population; and a map mode that colours districts by their indicator and hatches the districts
// without valid data, with the share of the population the network covers. Everything comes from
// the indicators collection (/collections/indicators/items), which the server computes from the
// history store; refreshed every minute.

import { getJson, query } from './api.js';
import { escapeHtml } from './dom.js';

const REFRESH_MILLIS = 60_000;

// WHO 2021 air quality guideline levels and interim targets 1-4, and GB 3095-2012 Grade II, in
// ug/m3 (REFERENCE.md §2): the panel's reference lines. The server uses the same numbers for
// population_above_who / population_above_national.
const LIMITS = {
  pm25: {
    day: { who: 15, interim: [75, 50, 37.5, 25], national: 75 },
    year: { who: 5, interim: [35, 25, 15, 10], national: 35 },
  },
  pm10: {
    day: { who: 45, interim: [150, 100, 75, 50], national: 150 },
    year: { who: 15, interim: [70, 50, 30, 20], national: 70 },
  },
};

let sdgMetric = 'pm25';
let rows = [];
let mapLayer = null;
let mapOn = false;
let getMap = () => null;

/**
 * Starts the panel; `leafletMap()` gives the page's Leaflet map (or null) for the map mode. A
 * dashboard without a history store has no indicators collection: the panel stays hidden.
 */
export async function initSdg(leafletMap) {
  getMap = leafletMap;
  let collections;
  try {
    collections = await getJson('/collections');
  } catch (e) {
    return;
  }
  if (!(collections.collections || []).some((c) => c.id === 'indicators')) return;
  document.getElementById('sdg-panel').hidden = false;
  const select = document.getElementById('sdg-metric');
  if (select) {
    select.addEventListener('change', (e) => {
      sdgMetric = e.target.value;
      refresh();
    });
  }
  const toggle = document.getElementById('sdg-map-toggle');
  if (toggle) {
    toggle.addEventListener('click', () => {
      mapOn = !mapOn;
      toggle.setAttribute('aria-pressed', String(mapOn));
      drawMap();
    });
  }
  refresh();
  setInterval(refresh, REFRESH_MILLIS);
}

async function refresh() {
  const now = new Date().toISOString();
  try {
    const body = await getJson(`/collections/indicators/items?${query({
      metric: sdgMetric, datetime: now, limit: 1000,
    })}`);
    rows = (body.features || []).filter((f) => f.properties.period_kind !== 'month');
    render();
    drawMap();
  } catch (e) {
    const panel = document.getElementById('sdg-body');
    if (panel) panel.textContent = `Indicator unavailable: ${e.message}`;
  }
}

function value(v) {
  return v == null ? '–' : v.toFixed(1);
}

function percent(share) {
  return share == null ? '–' : `${Math.round(share * 100)}%`;
}

function cityRow(kind) {
  return rows.find((f) => f.properties.zone_kind === 'city' && f.properties.period_kind === kind);
}

function districts(kind) {
  return rows.filter((f) => f.properties.zone_kind === 'district' && f.properties.period_kind === kind);
}

/** One headline: the value, a provisional tag, and where it stands against the lines. */
function headline(label, f, limits) {
  if (!f) return `<div class="sdg-figure"><span class="caption">${label}</span><span class="big-number">–</span></div>`;
  const p = f.properties;
  const tag = p.provisional ? '<span class="sdg-provisional" title="the period is not over, or late readings may still correct it">provisional</span>' : '';
  const against = p.value == null ? 'no valid data'
    : p.value > limits.national ? `above the national limit (${limits.national})`
      : p.value > limits.who ? `${(p.value / limits.who).toFixed(1)}× the WHO guideline (${limits.who})`
        : `within the WHO guideline (${limits.who})`;
  const interim = limits.interim.map((t, i) => `IT${i + 1} ${t}`).join(' · ');
  return `<div class="sdg-figure" data-period-kind="${escapeHtml(p.period_kind)}">
    <span class="caption">${label} ${escapeHtml(p.period)} ${tag}</span>
    <span class="big-number" data-sdg-value>${value(p.value)}</span><span class="muted"> ${p.unit === 'ug/m3' ? 'µg/m³' : escapeHtml(p.unit)}</span>
    <div class="muted">${escapeHtml(against)}; interim targets ${escapeHtml(interim)}</div>
    <div class="muted">${percent(p.population_share_with_data)} of the population covered (${p.observed}/${p.required} districts valid, ${escapeHtml(p.standard)})</div>
  </div>`;
}

function render() {
  const body = document.getElementById('sdg-body');
  if (!body) return;
  const limits = LIMITS[sdgMetric];
  // Ranked by the year's value; before any district's year is valid, by today's.
  const kind = districts('year').some((f) => f.properties.valid) ? 'year' : 'day';
  const ranked = districts(kind).slice().sort((a, b) =>
    (b.properties.value ?? -1) - (a.properties.value ?? -1));
  const list = ranked.map((f) => {
    const p = f.properties;
    const gap = !p.valid;
    return `<tr class="${gap ? 'sdg-gap' : ''}" data-zone-id="${escapeHtml(p.zone_id)}">
      <td>${escapeHtml(p.zone_name)}</td>
      <td class="num">${value(p.value)}${gap ? ' <span class="muted">(gap)</span>' : ''}</td>
      <td class="num muted">${p.population == null ? '–' : (p.population / 10000).toFixed(1) + '万'}</td></tr>`;
  }).join('');
  body.innerHTML = `<div class="sdg-figures">
      ${headline('Year', cityRow('year'), limits.year)}
      ${headline('Today', cityRow('day'), limits.day)}
    </div>
    <table class="rows sdg-districts"><thead><tr><th>District (${kind === 'year' ? 'year' : 'today'})</th><th class="num">µg/m³</th><th class="num">pop.</th></tr></thead>
    <tbody>${list}</tbody></table>`;
  body.dataset.rows = String(rows.length);
}

function colour(v, limits) {
  if (v <= limits.who) return '#1a9850';
  if (v <= limits.interim[3]) return '#91cf60';
  if (v <= limits.interim[2]) return '#fee08b';
  if (v <= limits.interim[1]) return '#fc8d59';
  if (v <= limits.interim[0]) return '#d73027';
  return '#7e0023';
}

/** The map mode: today's districts by their indicator, the gaps hatched. */
function drawMap() {
  const map = getMap();
  if (!map || !window.L) return;
  if (mapLayer) {
    map.removeLayer(mapLayer);
    mapLayer = null;
  }
  document.getElementById('map').dataset.sdg = String(mapOn);
  if (!mapOn) return;
  if (!map.getPane('sdg')) map.createPane('sdg').style.zIndex = 420;
  const limits = LIMITS[sdgMetric].day;
  mapLayer = L.geoJSON({ type: 'FeatureCollection', features: districts('day') }, {
    pane: 'sdg',
    style: (f) => {
      const p = f.properties;
      const gap = !p.valid || p.value == null;
      return {
        fillColor: gap ? 'url(#sdg-hatch)' : colour(p.value, limits),
        fillOpacity: gap ? 1 : 0.8,
        color: '#333',
        weight: 1,
        className: gap ? 'sdg-zone sdg-gap' : 'sdg-zone',
      };
    },
    onEachFeature: (f, layer) => {
      const p = f.properties;
      layer.bindTooltip(`<b>${escapeHtml(p.zone_name)}</b><br>${p.valid ? `${value(p.value)} ${escapeHtml(p.unit)}` : 'no valid data (gap)'}<br>${p.observed}/${p.required} valid hours`, { sticky: true });
    },
  }).addTo(map);
  mapLayer.eachLayer((l) => l.getElement()?.setAttribute('data-zone-id', l.feature.properties.zone_id));
}
