// The data quality panel and the pipeline's pulse, from /api/status and the streams' status
// events: readings per minute, active sensors of all, rejected readings per reason (with bars),
// and the sensors that went silent, longest silent first.

import { metric } from './config.js';
import { $, escapeHtml } from './dom.js';
import { ago, formatCount } from './format.js';

/** How many silent sensors are listed; the rest are counted. */
const SILENT_SHOWN = 8;

export function renderStatus(s) {
  if (!s) return;
  $('readings-per-minute').textContent = formatCount(s.readingsPerMinute);
  $('active-sensors').textContent = formatCount(s.sensors?.active);
  $('total-sensors').textContent = s.sensors ? `of ${formatCount(s.sensors.total)}` : '';
  renderRejected(s);
  renderSilent(s);
}

function renderRejected(s) {
  const reasons = Object.entries(s.rejectedByReason || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...reasons.map(([, n]) => n));
  $('rejected-total').textContent = `(${formatCount(s.rejectedTotal ?? reasons.reduce((a, [, n]) => a + n, 0))})`;
  $('rejected-table').tBodies[0].innerHTML = reasons.length
    ? reasons.map(([reason, n]) => `<tr data-reason="${escapeHtml(reason)}"><td>${escapeHtml(reason)}</td>`
      + `<td class="bar-cell"><span style="width:${(100 * n) / max}%"></span></td><td class="num">${formatCount(n)}</td></tr>`).join('')
    : '<tr><td class="none">none</td></tr>';
}

function renderSilent(s) {
  const silent = [...(s.sensors?.silent || [])].sort((a, b) => Date.parse(a.lastSeen) - Date.parse(b.lastSeen));
  $('silent-count').textContent = `(${silent.length})`;
  const shown = silent.slice(0, SILENT_SHOWN);
  const now = Date.now();
  $('silent-table').tBodies[0].innerHTML = shown.length
    ? shown.map((x) => `<tr><td class="sensor">${escapeHtml(x.sensorId)}</td><td>${escapeHtml(metric(x.metric).label)}</td>`
      + `<td class="num">${escapeHtml(ago(now - Date.parse(x.lastSeen)))}</td></tr>`).join('')
      + (silent.length > shown.length ? `<tr><td colspan="3" class="muted">and ${silent.length - shown.length} more</td></tr>` : '')
    : `<tr><td class="none">none silent${s.silentAfterSeconds ? ` for over ${s.silentAfterSeconds} s` : ''}</td></tr>`;
}
