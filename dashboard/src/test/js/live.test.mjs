// The page's live feed (static/live.js) in Node, with the browser's EventSource and fetch replaced
// by fakes the test drives: what the page shows per feature id when a snapshot and stream events
// cross. Run by PageModulesTest (node --test).

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

/** A stand-in for the browser's EventSource: the test opens it and sends events. */
class FakeEventSource {
  static CLOSED = 2;
  static all = [];

  constructor(url) {
    this.url = url;
    this.listeners = {};
    this.readyState = 0;
    FakeEventSource.all.push(this);
  }

  addEventListener(name, listener) {
    this.listeners[name] = listener;
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  open() {
    this.readyState = 1;
    this.onopen();
  }

  send(name, data) {
    this.listeners[name]({ data: JSON.stringify(data) });
  }
}

/** Requests made with fetch, each answered when the test says so. */
const requests = [];
globalThis.EventSource = FakeEventSource;
globalThis.fetch = (url) => new Promise((resolve, reject) => {
  requests.push({
    url,
    answer: (body) => resolve({ ok: true, status: 200, json: async () => body }),
    fail: (status) => resolve({ ok: false, status, json: async () => ({}) }),
    reject,
  });
});

const { LiveFeed, clearFeatures, featuresWhere } = await import(
  '../../main/resources/org/smartcity/dashboard/static/live.js');

/** A live feature as /api/live and the stream send it; `value` stands for everything else. */
const feature = (id, metric, zoneKind, value) => ({
  type: 'Feature',
  id,
  properties: { metric, zone_kind: zoneKind, zone_id: id, window_length: '1m', mean: value },
});

const settle = () => new Promise((resolve) => setImmediate(resolve));
const means = (filter) => Object.fromEntries(featuresWhere(filter).map((f) => [f.id, f.properties.mean]));

let changes;
let errors;
let feed;

beforeEach(() => {
  clearFeatures();
  FakeEventSource.all.length = 0;
  requests.length = 0;
  changes = [];
  errors = [];
  feed = new LiveFeed({
    filter: () => ({ metric: 'pm25', zone_kind: 'district', window_length: '1m' }),
    onOpen: () => {},
    onChange: (f) => changes.push(f && f.id),
    onStatus: () => {},
    onError: (message) => errors.push(message),
    onStateChange: () => {},
  });
});

test('the stream and the snapshot ask for the same filter', () => {
  feed.connect();
  FakeEventSource.all[0].open();
  assert.equal(FakeEventSource.all[0].url, '/api/live/stream?metric=pm25&zone_kind=district&window_length=1m');
  assert.equal(requests[0].url, '/api/live?metric=pm25&zone_kind=district&window_length=1m');
});

test('events that cross the snapshot are applied after it, in the order they came', async () => {
  feed.connect();
  const stream = FakeEventSource.all[0];
  stream.open();
  // Sent before the snapshot was taken (so the snapshot holds b's 2), and one after it.
  stream.send('aggregate', feature('b', 'pm25', 'district', 1));
  stream.send('aggregate', feature('b', 'pm25', 'district', 2));
  stream.send('aggregate', feature('c', 'pm25', 'district', 7));
  assert.deepEqual(means({}), {}, 'nothing shown before the snapshot');
  requests[0].answer({
    features: [feature('a', 'pm25', 'district', 10), feature('b', 'pm25', 'district', 2)],
  });
  await settle();
  assert.deepEqual(means({}), { a: 10, b: 2, c: 7 });
  assert.deepEqual(changes, [null]);

  stream.send('aggregate', feature('a', 'pm25', 'district', 11));
  assert.deepEqual(means({}), { a: 11, b: 2, c: 7 });
  assert.deepEqual(changes, [null, 'a']);
});

test('a snapshot replaces what the feed held for its filter, and only that', async () => {
  const city = new LiveFeed({
    filter: () => ({ zone_kind: 'city', window_length: '1m' }),
    onOpen: () => {},
    onChange: () => {},
    onStatus: () => {},
    onError: () => {},
    onStateChange: () => {},
  });
  city.connect();
  feed.connect();
  FakeEventSource.all[0].open();
  FakeEventSource.all[1].open();
  requests[0].answer({ features: [feature('kunming', 'pm25', 'city', 40)] });
  requests[1].answer({ features: [feature('a', 'pm25', 'district', 1), feature('b', 'pm25', 'district', 2)] });
  await settle();
  assert.deepEqual(means({}), { kunming: 40, a: 1, b: 2 });

  // The stream drops and reopens: the new snapshot no longer has b.
  FakeEventSource.all[1].onerror();
  feed.connect();
  FakeEventSource.all[2].open();
  requests[2].answer({ features: [feature('a', 'pm25', 'district', 3)] });
  await settle();
  assert.deepEqual(means({}), { kunming: 40, a: 3 });
});

test('a snapshot that comes after the stream reconnected is left aside', async () => {
  feed.connect();
  FakeEventSource.all[0].open();
  feed.connect();
  FakeEventSource.all[1].open();
  requests[1].answer({ features: [feature('a', 'pm25', 'district', 5)] });
  await settle();
  requests[0].answer({ features: [feature('a', 'pm25', 'district', 4)] });
  await settle();
  assert.deepEqual(means({}), { a: 5 });
});

test('without a snapshot the held events still show, and the page says why', async () => {
  feed.connect();
  const stream = FakeEventSource.all[0];
  stream.open();
  stream.send('aggregate', feature('a', 'pm25', 'district', 8));
  requests[0].fail(503);
  await settle();
  assert.deepEqual(means({}), { a: 8 });
  assert.deepEqual(errors, [
    'Live data unavailable: /api/live?metric=pm25&zone_kind=district&window_length=1m answered HTTP 503',
  ]);
});
