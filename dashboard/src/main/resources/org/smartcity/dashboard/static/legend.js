// The map's legend, a Leaflet control in the top right corner: the metric and its unit, which
// statistic and window the colours show, the colour scale (AQI bands with their names, or the
// ramp with its range), and the metric's reference values, marked on the ramp.

import { aqi, metric } from './config.js';
import { $, escapeHtml } from './dom.js';
import { formatTick, windowLabel } from './format.js';

/** Adds the (empty) legend to a Leaflet map. */
export function addLegend(map) {
  const legend = L.control({ position: 'topright' });
  legend.onAdd = () => {
    const div = L.DomUtil.create('div', 'legend');
    div.id = 'legend';
    return div;
  };
  legend.addTo(map);
}

/** Draws the legend of `scale` (from colours.js) for the selection. */
export function renderLegend({ metricId, zoneKind, windowLength, zoneCount, scale }) {
  const el = $('legend');
  if (!el) return;
  const m = metric(metricId);
  const unit = m.unitLabel;
  let body = '';
  if (scale.kind === 'bands') {
    const edges = [0, ...scale.breaks];
    const last = scale.breaks[scale.breaks.length - 1];
    body = scale.levels.map((level, i) => {
      const range = i < scale.breaks.length ? `${edges[i]}–${scale.breaks[i]}` : `≥ ${last}`;
      return `<div class="row"><span class="swatch" style="background:${escapeHtml(level.colour)}"></span>`
        + `${range} ${escapeHtml(level.name)} ${escapeHtml(level.nameZh)}</div>`;
    }).join('') + `<div class="note">${escapeHtml(aqi().source)}</div>`;
  } else {
    const [lo, hi] = scale.domain;
    const stops = scale.ramp.map((c, i) => `${c} ${(100 * i) / (scale.ramp.length - 1)}%`).join(', ');
    const marks = m.thresholds.filter((t) => t.value >= lo && t.value <= hi)
      .map((t) => `<span class="mark" style="left:${(100 * (t.value - lo)) / (hi - lo)}%"></span>`)
      .join('');
    body = `<div class="ramp" style="background:linear-gradient(to right, ${stops})">${marks}</div>`
      + `<div class="ramp-ticks"><span>${formatTick(lo)}</span>`
      + `<span>${formatTick((lo + hi) / 2)}</span><span>${formatTick(hi)}</span></div>`;
  }
  const thresholds = m.thresholds.map((t) =>
    `<div class="threshold">${escapeHtml(t.label)}: ${formatTick(t.value)} ${escapeHtml(unit)}</div>`).join('');
  const kind = zoneKind === 'h3' ? 'H3 cells' : 'districts';
  el.innerHTML = `<h4>${escapeHtml(m.label)} (${escapeHtml(unit)})</h4>`
    + `<div class="note first">${escapeHtml(m.valueLabel)}, ${escapeHtml(windowLabel(windowLength))} windows, ${zoneCount} ${kind}</div>`
    + body + thresholds
    + '<div class="note">Faded, dashed: no data for three windows</div>';
}
