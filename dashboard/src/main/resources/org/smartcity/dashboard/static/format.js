// Formatting of numbers, times and durations, the same on every panel: numbers in en-US style,
// clock times on a 24-hour clock in the browser's time zone. Metric values, whose decimals the
// server decides, are formatted by config.js.

/** An axis or legend tick: no more decimals than the tick needs. */
export const formatTick = (v) =>
  Number(v.toFixed(6)).toLocaleString('en-US', { maximumFractionDigits: 3 });

export const formatCount = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

/** A number with exactly `decimals` decimals, or a dash for no value. */
export function formatFixed(value, decimals) {
  if (value == null || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A time of day, hours and minutes, from epoch milliseconds. */
export const clock = (ms) =>
  new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/** How long ago, in the largest unit that keeps it readable: "45 s", "12 min", "3 h". */
export function ago(ms) {
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** A window length as the server names it ("15m") in words ("15-minute"). */
export function windowLabel(label) {
  const m = /^(\d+)(s|m|h|d)$/.exec(label || '');
  if (!m) return label || '';
  return `${m[1]}-${{ s: 'second', m: 'minute', h: 'hour', d: 'day' }[m[2]]}`;
}
