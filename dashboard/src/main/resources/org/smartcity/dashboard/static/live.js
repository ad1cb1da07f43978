// The page's copy of the live layer: per feature id, the feature as the server last sent it, and
// the feeds that keep it current. A feed is one event stream of the live layer, filtered by the
// server, plus the snapshot (/api/live) of the same filter taken each time the stream (re)opens.
//
// Which emission of a window is newest is the server's decision, not the page's: the live layer
// holds the newest window per feature id, /api/live answers from it, and the stream sends changes
// in the order the layer took them. So the last word the server said about an id is the one shown.
// The only ordering the page must respect is between a snapshot and the stream: events that
// arrive while the snapshot is on its way are held back and applied after it, in arrival order.
// A held event may be older than the snapshot; but then the change that made the snapshot newer
// was sent after it on the same stream and is applied after it, so each id ends on the newest.
// Feature ids are opaque keys here: the page never builds or parses one.

import { EventStream, getJson, query } from './api.js';

const features = new Map(); // feature id -> GeoJSON feature

/** Forgets every feature (the window length changed: none of them is wanted). */
export function clearFeatures() {
  features.clear();
}

/** The features whose properties have every value of `filter` ({metric: 'pm25', ...}). */
export function featuresWhere(filter) {
  return [...features.values()].filter((f) => matches(f, filter));
}

/** The newest window end held, in epoch ms: the data's own clock, right also for a replay. */
export function dataClock() {
  let newest = 0;
  for (const f of features.values()) newest = Math.max(newest, Date.parse(f.properties.window_end) || 0);
  return newest;
}

function matches(feature, filter) {
  return Object.entries(filter).every(([k, v]) => v == null || feature.properties[k] === v);
}

/**
 * One live feed. `filter()` gives the stream's and snapshot's parameters, which are also the
 * names of the feature properties they select on (metric, zone_kind, window_length);
 * `onOpen()` runs on every (re)connect, `onChange(feature)` for every feature taken
 * (null after a snapshot), `onStatus(status)` for the stream's status events,
 * `onError(message)` when a snapshot fails, `onStateChange()` when the connection may
 * have opened or dropped.
 */
export class LiveFeed {
  constructor({ filter, onOpen, onChange, onStatus, onError, onStateChange }) {
    this.filter = filter;
    this.onChange = onChange;
    this.onError = onError;
    this.generation = 0; // counts (re)connections, so that a late snapshot is recognised
    this.held = null; // events waiting for the snapshot, or null once it is in
    this.stream = new EventStream({
      url: () => `/api/live/stream?${query(this.filter())}`,
      onOpen: () => {
        this.synchronise();
        onOpen();
      },
      handlers: {
        aggregate: (feature) => this.receive(feature),
        status: onStatus,
      },
      onStateChange,
    });
  }

  connect() {
    this.stream.connect();
  }

  get open() {
    return this.stream.open;
  }

  watch() {
    this.stream.watch();
  }

  receive(feature) {
    if (!feature || !feature.id || !feature.properties) return;
    if (this.held) {
      this.held.push(feature);
      return;
    }
    features.set(feature.id, feature);
    this.onChange(feature);
  }

  /** Whatever changed while the stream was closed arrives with the snapshot. */
  async synchronise() {
    const generation = ++this.generation;
    const filter = this.filter();
    this.held = [];
    let snapshot = null;
    try {
      snapshot = await getJson(`/api/live?${query(filter)}`);
    } catch (e) {
      this.onError(`Live data unavailable: ${e.message}`);
    }
    if (generation !== this.generation) return; // a newer connection took over
    if (snapshot) {
      // The snapshot is the layer's state for this filter: a feature it lacks is gone.
      for (const f of featuresWhere(filter)) features.delete(f.id);
      for (const f of snapshot.features || []) features.set(f.id, f);
    }
    const held = this.held;
    this.held = null;
    for (const f of held) features.set(f.id, f);
    this.onChange(null);
  }
}
