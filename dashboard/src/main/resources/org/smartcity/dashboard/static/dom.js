// DOM helpers every panel uses: element lookup, HTML escaping, and the message banner over the map
// (what is unavailable, for the presenter to see without opening the console).

export const $ = (id) => document.getElementById(id);

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put into HTML: names and labels come from the server and from GeoJSON. */
export const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);

let messageTimer = null;

/**
 * Shows a message over the map for 15 s; a sticky one (a library that did not load) stays and is
 * never replaced by a passing one.
 */
export function showMessage(text, sticky = false) {
  const el = $('map-message');
  if (el.dataset.sticky) return;
  el.textContent = text;
  el.hidden = !text;
  clearTimeout(messageTimer);
  if (sticky) el.dataset.sticky = 'true';
  else if (text) messageTimer = setTimeout(() => { el.hidden = true; }, 15_000);
}
