// The city's figures: one button per metric with the city zone's value for the selected window
// length, its unit, the AQI band and the highest reference value exceeded; the border shows the
// value's colour. A click selects the metric. The window the figures are from is in the heading.

import { formatValue, metric, metricIds, valueOf } from './config.js';
import { NEUTRAL, hasFixedScale, scaleFor } from './colours.js';
import { $, escapeHtml } from './dom.js';
import { clock, formatTick, windowLabel } from './format.js';

/** Creates one figure per metric in #headlines; `onSelect(metricId)` on a click. */
export function buildHeadlines(onSelect) {
  const box = $('headlines');
  box.innerHTML = '';
  for (const id of metricIds()) {
    const m = metric(id);
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'headline';
    b.dataset.headline = id;
    b.innerHTML = `<span class="name">${escapeHtml(m.label)}</span>`
      + `<span class="value">–</span> <span class="unit">${escapeHtml(m.unitLabel)}</span>`
      + '<span class="band"></span>';
    b.addEventListener('click', () => onSelect(id));
    box.appendChild(b);
  }
}

/** Shows the city features' values; `cityFeature(metricId)` gives one, or undefined. */
export function renderHeadlines({ cityFeature, selectedMetric, windowLength }) {
  let newestEnd = 0;
  for (const id of metricIds()) {
    const el = document.querySelector(`[data-headline="${CSS.escape(id)}"]`);
    if (!el) continue;
    const m = metric(id);
    const f = cityFeature(id);
    const v = f ? valueOf(f.properties, id) : null;
    el.querySelector('.value').textContent = formatValue(v, id);
    el.dataset.value = v == null ? '' : String(v);
    el.setAttribute('aria-pressed', String(id === selectedMetric));
    // Colours only where they do not depend on what else is on screen.
    const scale = hasFixedScale(id) ? scaleFor(id, []) : null;
    el.style.borderLeftColor = v == null ? '' : scale ? scale.colour(v) : NEUTRAL;
    // The AQI band, and the highest reference value exceeded ("> WHO 15", "> GB 75").
    const over = m.thresholds.filter((t) => v != null && v > t.value).sort((a, b) => b.value - a.value);
    const notes = [];
    if (v != null && scale && scale.kind === 'bands') notes.push(scale.band(v));
    if (over.length) notes.push(`> ${over[0].label.split(' ')[0]} ${formatTick(over[0].value)}`);
    el.querySelector('.band').textContent = notes.join(' · ');
    if (f) newestEnd = Math.max(newestEnd, Date.parse(f.properties.window_end) || 0);
  }
  $('city-window').textContent = newestEnd
    ? `${windowLabel(windowLength)} window to ${clock(newestEnd)}` : '';
}
