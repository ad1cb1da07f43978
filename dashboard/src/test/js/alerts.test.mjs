// The page's alert logic (static/alerts.js) in Node: each alert once at its newest revision, the
// banner's choice, today's list, the zones outlined and the sensors marked on the map, and the
// timeline's geometry. Run by PageModulesTest (node --test).

import assert from 'node:assert/strict';
import { mock, test } from 'node:test';

const {
  mergeAlert, bannerAlert, todaysAlerts, rolledUp, alertZones, alertSensors, alertLabel, alertLines, timeline,
  bannerParts, bannerHtml, isUnplaced, lacksPosition, FOLLOW_UP_MILLIS, AlertBoard,
} = await import('../../main/resources/org/smartcity/dashboard/static/alerts.js');

const alert = (id, revision, status, severity, openedAt, clearedAt = null) => ({
  type: 'Feature',
  id,
  properties: { revision, status, severity, opened_at: openedAt, cleared_at: clearedAt },
});

test('an older or repeated revision changes nothing', () => {
  const alerts = new Map();
  assert.equal(mergeAlert(alerts, alert('a', 2, 'active', 'severe', '2026-12-04T07:00:00Z')), true);
  assert.equal(mergeAlert(alerts, alert('a', 1, 'active', 'moderate', '2026-12-04T07:00:00Z')), false);
  assert.equal(mergeAlert(alerts, alert('a', 2, 'active', 'minor', '2026-12-04T07:00:00Z')), false);
  assert.equal(alerts.get('a').properties.severity, 'severe');
  assert.equal(mergeAlert(alerts, alert('a', 3, 'cleared', 'severe', '2026-12-04T07:00:00Z', '2026-12-04T09:00:00Z')), true);
  assert.equal(alerts.size, 1);
});

/** A sensor alert as the collection sends it, at `lonLat` or without a position. */
const sensorAlert = (id, revision, status, lonLat = null) => ({
  type: 'Feature',
  id,
  geometry: lonLat && { type: 'Point', coordinates: lonLat },
  properties: {
    revision, status, severity: 'severe', subject_kind: 'sensor', subject_id: `s-${id}`,
    opened_at: '2026-12-04T07:00:00Z', cleared_at: null,
  },
});

test('the same revision with a position replaces one without, never the other way round', () => {
  const alerts = new Map();
  assert.equal(mergeAlert(alerts, sensorAlert('a', 2, 'active')), true);
  assert.equal(mergeAlert(alerts, sensorAlert('a', 2, 'active', [102.7, 25.04])), true);
  assert.deepEqual(alerts.get('a').geometry.coordinates, [102.7, 25.04]);
  assert.equal(mergeAlert(alerts, sensorAlert('a', 2, 'active')), false);
  assert.equal(mergeAlert(alerts, sensorAlert('a', 2, 'active', [102.8, 25.1])), false);
  assert.equal(mergeAlert(alerts, sensorAlert('a', 1, 'active', [102.8, 25.1])), false);
  assert.deepEqual(alerts.get('a').geometry.coordinates, [102.7, 25.04]);
  // A newer revision wins with or without a position: it may clear the alert.
  assert.equal(mergeAlert(alerts, sensorAlert('a', 3, 'cleared')), true);
  assert.equal(alerts.get('a').geometry, null);
});

test('only an active sensor alert without a position lacks one', () => {
  const zone = { ...alert('z', 1, 'active', 'severe', '2026-12-04T07:00:00Z'), geometry: null };
  zone.properties.subject_kind = 'district';
  const alerts = new Map([['z', zone], ['c', sensorAlert('c', 2, 'cleared')], ['p', sensorAlert('p', 1, 'active', [102.7, 25])]]);
  assert.equal(lacksPosition(alerts), false);
  assert.deepEqual([...alerts.values()].map(isUnplaced), [false, false, false]);
  alerts.set('n', sensorAlert('n', 1, 'active'));
  assert.equal(lacksPosition(alerts), true);
  assert.equal(isUnplaced(alerts.get('n')), true);
});

test('the alerts are loaded again while a sensor alert lacks its position, at most four times', async () => {
  // The dashboard after a restart: the position of alert a comes with the third answer, b never has one.
  const answers = [
    [sensorAlert('a', 1, 'active'), sensorAlert('b', 1, 'active')],
    [sensorAlert('a', 1, 'active'), sensorAlert('b', 1, 'active')],
    [sensorAlert('a', 1, 'active', [102.7, 25.04]), sensorAlert('b', 1, 'active')],
  ];
  const asked = [];
  globalThis.fetch = async (url) => {
    asked.push(url);
    const features = answers[Math.min(asked.length, answers.length) - 1];
    return { ok: true, status: 200, json: async () => ({ features }) };
  };
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const board = new AlertBoard();
    board.render = () => {};
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    /** Lets `millis` pass a second at a time, each load answered before the next second. */
    const pass = async (millis) => {
      for (let t = 0; t < millis; t += 1000) {
        mock.timers.tick(1000);
        await settle();
      }
    };
    await board.load();
    assert.equal(asked.length, 1);
    for (let i = 0; i < FOLLOW_UP_MILLIS.length; i++) {
      mock.timers.tick(FOLLOW_UP_MILLIS[i] - 1);
      await settle();
      assert.equal(asked.length, i + 1, `follow-up ${i + 1} not before ${FOLLOW_UP_MILLIS[i]} ms`);
      mock.timers.tick(1);
      await settle();
      assert.equal(asked.length, i + 2, `follow-up ${i + 1} after ${FOLLOW_UP_MILLIS[i]} ms`);
    }
    await pass(10 * 60_000);
    assert.equal(asked.length, 1 + FOLLOW_UP_MILLIS.length);
    assert.deepEqual(board.alerts.get('a').geometry.coordinates, [102.7, 25.04]);
    assert.equal(board.alerts.get('b').geometry, null);

    // A page whose sensor alerts all have positions loads once per (re)connect.
    answers.splice(0, answers.length, [sensorAlert('a', 1, 'active', [102.7, 25.04])]);
    asked.length = 0;
    const placed = new AlertBoard();
    placed.render = () => {};
    await placed.load();
    await pass(10 * 60_000);
    assert.equal(asked.length, 1);

    // On the first page, whose follow-ups are spent (b never has a position), an event of an alert
    // without a position starts them again, from the first delay.
    asked.length = 0;
    answers.splice(0, answers.length, [sensorAlert('b', 1, 'active'), sensorAlert('c', 1, 'active', [102.6, 24.9])]);
    board.apply(sensorAlert('c', 1, 'active'));
    mock.timers.tick(FOLLOW_UP_MILLIS[0]);
    await settle();
    assert.equal(asked.length, 1);
    assert.deepEqual(board.alerts.get('c').geometry.coordinates, [102.6, 24.9]);
    await pass(10 * 60_000);
    assert.equal(asked.length, FOLLOW_UP_MILLIS.length);
  } finally {
    mock.timers.reset();
  }
});

test('the banner shows the most severe active alert, the newest of equals', () => {
  const alerts = new Map();
  mergeAlert(alerts, alert('old-moderate', 1, 'active', 'moderate', '2026-12-04T06:00:00Z'));
  mergeAlert(alerts, alert('new-moderate', 1, 'active', 'moderate', '2026-12-04T08:00:00Z'));
  assert.equal(bannerAlert(alerts).id, 'new-moderate');
  mergeAlert(alerts, alert('cleared-extreme', 2, 'cleared', 'extreme', '2026-12-04T08:30:00Z', '2026-12-04T08:40:00Z'));
  assert.equal(bannerAlert(alerts).id, 'new-moderate');
  mergeAlert(alerts, alert('severe', 1, 'active', 'severe', '2026-12-04T05:00:00Z'));
  assert.equal(bannerAlert(alerts).id, 'severe');
  assert.equal(bannerAlert(new Map()), null);
});

test("today's list: active first, then newest; yesterday's cleared ones left out", () => {
  const alerts = new Map();
  mergeAlert(alerts, alert('y', 2, 'cleared', 'minor', '2026-12-03T10:00:00Z', '2026-12-03T11:00:00Z'));
  mergeAlert(alerts, alert('c', 2, 'cleared', 'minor', '2026-12-04T01:00:00Z', '2026-12-04T02:00:00Z'));
  mergeAlert(alerts, alert('a1', 1, 'active', 'minor', '2026-12-03T23:00:00Z'));
  mergeAlert(alerts, alert('a2', 1, 'active', 'minor', '2026-12-04T03:00:00Z'));
  const day = Date.parse('2026-12-04T00:00:00Z');
  assert.deepEqual(todaysAlerts(alerts, day).map((a) => a.id), ['a2', 'a1', 'c']);
});

test('a cell alert that an active district roll-up lists is left to the roll-up', () => {
  const alerts = new Map();
  const cell = (id, severity) => ({
    type: 'Feature',
    id,
    properties: { revision: 1, status: 'active', severity, rule: 'noise-high', subject_kind: 'h3',
      subject_id: id, opened_at: '2026-12-04T07:00:00Z', cleared_at: null },
  });
  mergeAlert(alerts, cell('c1', 'moderate'));
  mergeAlert(alerts, cell('c2', 'minor'));
  assert.equal(bannerAlert(alerts).id, 'c1');
  const rollup = (revision, status) => ({
    type: 'Feature',
    id: 'district-noise',
    properties: { revision, status, severity: 'minor', rule: 'noise-high', subject_kind: 'district',
      subject_id: '530102', opened_at: '2026-12-04T06:00:00Z', cleared_at: null, cells: ['c1', 'c2'] },
  });
  mergeAlert(alerts, rollup(1, 'active'));
  // The roll-up, though less severe than c1: c1 is one of its cells.
  assert.equal(bannerAlert(alerts).id, 'district-noise');
  assert.equal(rolledUp(alerts, alerts.get('c1')), true);
  mergeAlert(alerts, rollup(2, 'cleared'));
  assert.equal(rolledUp(alerts, alerts.get('c1')), false);
  assert.equal(bannerAlert(alerts).id, 'c1');
});

test("today's list leaves the cells of a roll-up to the roll-up's row, active or cleared", () => {
  const alerts = new Map();
  const cell = (id, subject, openedAt, clearedAt = null, rule = 'noise-high') => ({
    type: 'Feature', id, properties: { revision: clearedAt ? 2 : 1, status: clearedAt ? 'cleared' : 'active',
      severity: 'minor', rule, subject_kind: 'h3', subject_id: subject, opened_at: openedAt, cleared_at: clearedAt },
  });
  mergeAlert(alerts, cell('c1', 'h1', '2026-12-04T07:00:00Z'));
  mergeAlert(alerts, cell('c2', 'h2', '2026-12-04T07:00:00Z'));
  mergeAlert(alerts, alert('other', 1, 'active', 'minor', '2026-12-04T06:00:00Z'));
  // An earlier episode of the first cell, over before the roll-up: an alert of its own.
  mergeAlert(alerts, cell('c1-early', 'h1', '2026-12-04T05:00:00Z', '2026-12-04T05:30:00Z'));
  // The same cell under another rule, during the roll-up: not the roll-up's either.
  mergeAlert(alerts, cell('pm-h1', 'h1', '2026-12-04T07:05:00Z', '2026-12-04T07:15:00Z', 'pm25-high'));
  const rollup = (revision, status, clearedAt) => ({
    type: 'Feature', id: 'district-noise', properties: { revision, status, severity: 'minor', rule: 'noise-high',
      subject_kind: 'district', subject_id: '530102', opened_at: '2026-12-04T07:10:00Z', cleared_at: clearedAt,
      cells: ['h1', 'h2'] },
  });
  const day = Date.parse('2026-12-04T00:00:00Z');
  const list = () => todaysAlerts(alerts, day).map((a) => a.id);
  mergeAlert(alerts, rollup(1, 'active', null));
  assert.deepEqual(list(), ['district-noise', 'other', 'pm-h1', 'c1-early']);
  assert.equal(rolledUp(alerts, alerts.get('c1')), true);
  assert.equal(rolledUp(alerts, alerts.get('c1-early')), false);
  assert.equal(rolledUp(alerts, alerts.get('pm-h1')), false);

  // The roll-up clears (it lists the cells of its last active revision) with its first cell; the
  // second still alerts: a row of its own, and the banner's.
  mergeAlert(alerts, rollup(2, 'cleared', '2026-12-04T07:20:00Z'));
  assert.deepEqual(list(), ['c1', 'c2', 'other', 'district-noise', 'pm-h1', 'c1-early']);
  mergeAlert(alerts, cell('c1', 'h1', '2026-12-04T07:00:00Z', '2026-12-04T07:20:00Z'));
  assert.deepEqual(list(), ['c2', 'other', 'district-noise', 'pm-h1', 'c1-early']);
  assert.equal(bannerAlert(alerts).id, 'c2');
  // Once it clears too, the cleared roll-up is again the one row of its cells.
  mergeAlert(alerts, cell('c2', 'h2', '2026-12-04T07:00:00Z', '2026-12-04T07:45:00Z'));
  assert.deepEqual(list(), ['other', 'district-noise', 'pm-h1', 'c1-early']);
  assert.equal(rolledUp(alerts, alerts.get('c2')), true);

  // A later episode of a cell, after the roll-up cleared, is an alert of its own, active or not.
  mergeAlert(alerts, cell('c1-late', 'h1', '2026-12-04T08:00:00Z'));
  assert.deepEqual(list(), ['c1-late', 'other', 'district-noise', 'pm-h1', 'c1-early']);
  mergeAlert(alerts, cell('c1-late', 'h1', '2026-12-04T08:00:00Z', '2026-12-04T08:30:00Z'));
  assert.deepEqual(list(), ['other', 'c1-late', 'district-noise', 'pm-h1', 'c1-early']);
});

/** An alert feature with a subject and a geometry, as /collections/alerts/items sends it. */
const located = (id, { status = 'active', severity, kind, subject, rule = 'r', openedAt, geometry, cells }) => ({
  type: 'Feature',
  id,
  geometry,
  properties: {
    revision: 1, status, severity, rule, subject_kind: kind, subject_id: subject, subject_name: subject,
    opened_at: openedAt, cleared_at: status === 'cleared' ? '2026-12-04T09:00:00Z' : null,
    ...(cells ? { cells } : {}),
  },
});
const square = { type: 'Polygon', coordinates: [[[102, 25], [103, 25], [103, 26], [102, 25]]] };
const two = { type: 'MultiPolygon', coordinates: [square.coordinates, square.coordinates] };

test('the map outlines the active zone alerts with a zone geometry, most severe drawn last', () => {
  const alerts = new Map();
  const add = (id, o) => mergeAlert(alerts, located(id, o));
  add('d-moderate', { severity: 'moderate', kind: 'district', subject: '530102', openedAt: '2026-12-04T07:00:00Z', geometry: square });
  add('d-severe', { severity: 'severe', kind: 'district', subject: '530103', openedAt: '2026-12-04T06:00:00Z', geometry: two });
  add('cell', { severity: 'extreme', kind: 'h3', subject: '88409a3', rule: 'noise-high', openedAt: '2026-12-04T06:40:00Z', geometry: square });
  add('rollup', { severity: 'minor', kind: 'district', subject: '530111', rule: 'noise-high', openedAt: '2026-12-04T06:30:00Z', geometry: square, cells: ['88409a3'] });
  add('city', { severity: 'minor', kind: 'city', subject: 'kunming', openedAt: '2026-12-04T05:00:00Z', geometry: square });
  add('cleared', { status: 'cleared', severity: 'extreme', kind: 'district', subject: '530112', openedAt: '2026-12-04T05:00:00Z', geometry: square });
  add('sensor', { severity: 'extreme', kind: 'sensor', subject: 'km-pm25-0001', openedAt: '2026-12-04T05:00:00Z', geometry: { type: 'Point', coordinates: [102.7, 25] } });
  add('elsewhere', { severity: 'extreme', kind: 'district', subject: '999999', openedAt: '2026-12-04T05:00:00Z', geometry: null });

  assert.deepEqual(alertZones(alerts).map((z) => [z.id, z.severity, z.colour, z.rolledUp]), [
    ['cell', 'extreme', '#c4001a', true],
    ['city', 'minor', '#1f5fbf', false],
    ['rollup', 'minor', '#1f5fbf', false],
    ['d-moderate', 'moderate', '#f2c200', false],
    ['d-severe', 'severe', '#e86a00', false],
  ]);
  assert.equal(alertZones(alerts)[4].feature.geometry, two);

  // Escalated, then cleared: restyled in place, then gone.
  mergeAlert(alerts, { ...alerts.get('d-moderate'), properties: { ...alerts.get('d-moderate').properties, revision: 2, severity: 'extreme' } });
  assert.deepEqual(alertZones(alerts).slice(-1).map((z) => [z.id, z.colour]), [['d-moderate', '#c4001a']]);
  mergeAlert(alerts, { ...alerts.get('d-moderate'), properties: { ...alerts.get('d-moderate').properties, revision: 3, status: 'cleared' } });
  assert.deepEqual(alertZones(alerts).map((z) => z.id), ['cell', 'city', 'rollup', 'd-severe']);
  assert.deepEqual(alertZones(new Map()), []);
});

test('the map marks each sensor with an active alert and a position once, in its most severe colour', () => {
  const alerts = new Map();
  const add = (id, o) => mergeAlert(alerts, located(id, { kind: 'sensor', ...o }));
  const noise = { type: 'Point', coordinates: [102.7, 25.05] };
  add('noise-moderate', { severity: 'moderate', subject: 'km-noise-0002', openedAt: '2026-12-04T07:00:00Z', geometry: noise });
  add('noise-severe', { severity: 'severe', subject: 'km-noise-0002', openedAt: '2026-12-04T06:00:00Z', geometry: noise });
  add('water', { severity: 'minor', subject: 'km-water_level-0003', openedAt: '2026-12-04T08:00:00Z', geometry: { type: 'Point', coordinates: [102.8, 25.1] } });
  add('unheard', { severity: 'extreme', subject: 'km-pm25-0009', openedAt: '2026-12-04T08:00:00Z', geometry: null });
  add('cleared', { status: 'cleared', severity: 'extreme', subject: 'km-pm25-0010', openedAt: '2026-12-04T08:00:00Z', geometry: noise });
  add('zone', { severity: 'extreme', kind: 'district', subject: '530102', openedAt: '2026-12-04T08:00:00Z', geometry: square });

  assert.deepEqual(alertSensors(alerts).map((s) => ({ ...s, alerts: s.alerts.map((a) => a.id) })), [
    { sensorId: 'km-noise-0002', lat: 25.05, lon: 102.7, severity: 'severe', colour: '#e86a00', alerts: ['noise-severe', 'noise-moderate'] },
    { sensorId: 'km-water_level-0003', lat: 25.1, lon: 102.8, severity: 'minor', colour: '#1f5fbf', alerts: ['water'] },
  ]);
});

test("an alert's label: severity in words, subject, rule, value against threshold, since when", () => {
  const p = {
    severity: 'severe', subject_name: 'km-water_level-0003', rule: 'water-level', value: 4.12, unit: 'm',
    threshold: 4, opened_at: '2026-12-04T21:05:00Z',
  };
  assert.deepEqual(alertLines(p),
    ['SEVERE km-water_level-0003', 'water-level, 4.12 m (threshold 4)', 'since 21:05 UTC']);
  assert.equal(alertLabel(p), 'SEVERE km-water_level-0003: water-level, 4.12 m (threshold 4) since 21:05 UTC');
});

/** What a person reads in the banner: its HTML without tags and entities, spaces collapsed. */
const bannerText = (html) => html.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
const occurrences = (text, part) => text.split(part).length - 1;

test('the banner names a sensor once, with its value against the threshold and since when', () => {
  // The job's message names the sensor too; the banner used to print both.
  const p = {
    severity: 'severe', rule: 'water-level', metric: 'water_level', subject_kind: 'sensor',
    subject_id: 'km-water_level-0003', subject_name: 'km-water_level-0003', value: 4.12, unit: 'm',
    threshold: 4, opened_at: '2026-12-04T21:05:00Z',
    message: 'Water level at sensor km-water_level-0003 4.12 m, above 4 (flood signal)',
  };
  assert.deepEqual(bannerParts(p, 'Water level'), {
    severity: 'SEVERE', subject: 'sensor km-water_level-0003', measure: 'Water level 4.12 m (threshold 4)',
    since: 'since 21:05 UTC',
  });
  const text = bannerText(bannerHtml(p, 'Water level'));
  assert.equal(text, 'SEVERE sensor km-water_level-0003 Water level 4.12 m (threshold 4) since 21:05 UTC');
  assert.equal(occurrences(text, 'km-water_level-0003'), 1);
  // Without the configuration (or for a metric it does not list) the metric goes by its id.
  assert.equal(bannerParts(p).measure, 'water_level 4.12 m (threshold 4)');
});

test('the banner names every kind of subject once', () => {
  const base = { severity: 'moderate', opened_at: '2026-12-04T07:00:00Z', threshold: 75, unit: 'ug/m3', metric: 'pm25' };
  const cases = [
    [{ subject_kind: 'district', subject_id: '530102', subject_name: 'Wuhua District 五华区', value: 96.4,
      message: 'PM2.5 hourly mean 96.4 ug/m3 in Wuhua District 五华区, above 75' },
    'Wuhua District 五华区', 'MODERATE Wuhua District 五华区 PM2.5 96.4 ug/m3 (threshold 75) since 07:00 UTC'],
    [{ subject_kind: 'h3', subject_id: '88409a3c1dfffff', subject_name: '88409a3c1dfffff', value: 80,
      message: 'PM2.5 hourly mean 80 ug/m3 in 88409a3c1dfffff, above 75' },
    '88409a3c1dfffff', 'MODERATE cell 88409a3c1dfffff PM2.5 80 ug/m3 (threshold 75) since 07:00 UTC'],
    [{ subject_kind: 'city', subject_id: 'kunming', subject_name: 'Kunming', value: 77.5,
      message: 'PM2.5 hourly mean 77.5 ug/m3 in Kunming, above 75' },
    'Kunming', 'MODERATE Kunming PM2.5 77.5 ug/m3 (threshold 75) since 07:00 UTC'],
    // A roll-up: the district, and how many of its cells.
    [{ subject_kind: 'district', subject_id: '530103', subject_name: 'Panlong District 盘龙区', value: 71,
      threshold: 70, unit: 'dB(A)', metric: 'noise', cells: ['c1', 'c2', 'c3'],
      message: 'Noise above 70 dB(A) in 3 cells of Panlong District 盘龙区' },
    'Panlong District 盘龙区', 'MODERATE Panlong District 盘龙区 (3 cells) Noise 71 dB(A) (threshold 70) since 07:00 UTC'],
    // A blind district: the share of its sensors that reported, in per cent.
    [{ subject_kind: 'district', subject_id: '530111', subject_name: 'Guandu District 官渡区', value: 1 / 3,
      threshold: 0.5, unit: 'share', message: 'Only 1 of 3 sensors in Guandu District 官渡区 reported within 10 min (below 50%)' },
    'Guandu District 官渡区', 'MODERATE Guandu District 官渡区 PM2.5 sensors reporting 33% (threshold 50%) since 07:00 UTC'],
    // A silent sensor: how long nothing came.
    [{ subject_kind: 'sensor', subject_id: 'km-pm25-0007', subject_name: 'km-pm25-0007', value: 15, threshold: 15,
      unit: 'min', message: 'No reading from sensor km-pm25-0007 for more than 15 min (last at 06:45)' },
    'km-pm25-0007', 'MODERATE sensor km-pm25-0007 PM2.5 silent for 15 min since 07:00 UTC'],
  ];
  for (const [p, subject, expected] of cases) {
    const label = { pm25: 'PM2.5', noise: 'Noise' }[p.metric || base.metric];
    const text = bannerText(bannerHtml({ ...base, ...p }, label));
    assert.equal(text, expected);
    assert.equal(occurrences(text, subject), 1, text);
  }
});

test("the banner's texts are escaped", () => {
  const p = { severity: 'minor', subject_kind: 'district', subject_name: '<b>&', value: 1, unit: 'm', threshold: 0,
    opened_at: '2026-12-04T07:00:00Z' };
  assert.match(bannerHtml(p, 'x'), /<strong class="subject">&lt;b&gt;&amp;<\/strong>/);
});

const day = Date.parse('2026-12-04T00:00:00Z');
const episode = (id, openedAt, clearedAt = null) => alert(id, 1, clearedAt ? 'cleared' : 'active', 'minor', openedAt, clearedAt);

test('the timeline spans the full hours from the first episode to after now, ticks every hour', () => {
  const line = timeline([
    episode('a', '2026-12-04T07:30:00Z'),
    episode('b', '2026-12-04T08:00:00Z', '2026-12-04T08:15:00Z'),
  ], day, Date.parse('2026-12-04T08:30:00Z'));
  assert.deepEqual(line, {
    startMillis: Date.parse('2026-12-04T07:00:00Z'),
    endMillis: Date.parse('2026-12-04T09:00:00Z'),
    now: 75,
    ticks: [{ at: 0, label: '07:00' }, { at: 50, label: '08:00' }, { at: 100, label: '09:00' }],
    bars: [
      { id: 'a', left: 25, width: 50, open: true, fromYesterday: false },
      { id: 'b', left: 50, width: 12.5, open: false, fromYesterday: false },
    ],
  });
});

test("an episode from yesterday starts at the day's start; a longer axis ticks every 2 or 6 hours", () => {
  const line = timeline([
    episode('a', '2026-12-04T07:30:00Z'),
    episode('b', '2026-12-04T08:15:00Z', '2026-12-04T08:45:00Z'),
    episode('y', '2026-12-03T23:00:00Z'),
  ], day, Date.parse('2026-12-04T09:30:00Z'));
  assert.equal(line.startMillis, day);
  assert.equal(line.endMillis, Date.parse('2026-12-04T10:00:00Z'));
  assert.equal(line.now, 95);
  assert.deepEqual(line.ticks.map((t) => [t.at, t.label]),
    [[0, '00:00'], [20, '02:00'], [40, '04:00'], [60, '06:00'], [80, '08:00'], [100, '10:00']]);
  assert.deepEqual(line.bars, [
    { id: 'a', left: 75, width: 20, open: true, fromYesterday: false },
    { id: 'b', left: 82.5, width: 5, open: false, fromYesterday: false },
    { id: 'y', left: 0, width: 95, open: true, fromYesterday: true },
  ]);

  const late = timeline([episode('y', '2026-12-03T23:00:00Z')], day, Date.parse('2026-12-04T23:30:00Z'));
  assert.equal(late.endMillis, day + 24 * 3_600_000);
  assert.deepEqual(late.ticks.map((t) => [t.at, t.label]),
    [[0, '00:00'], [25, '06:00'], [50, '12:00'], [75, '18:00'], [100, '24:00']]);
});

test('without alerts the timeline is the hour around now', () => {
  assert.deepEqual(timeline([], day, Date.parse('2026-12-04T08:30:00Z')), {
    startMillis: Date.parse('2026-12-04T08:00:00Z'),
    endMillis: Date.parse('2026-12-04T09:00:00Z'),
    now: 50,
    ticks: [{ at: 0, label: '08:00' }, { at: 100, label: '09:00' }],
    bars: [],
  });
});
