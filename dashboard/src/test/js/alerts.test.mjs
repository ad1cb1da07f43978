// The page's alert logic (static/alerts.js) in Node: each alert once at its newest revision, the
// banner's choice, today's list. Run by PageModulesTest (node --test).

import assert from 'node:assert/strict';
import { test } from 'node:test';

const { mergeAlert, bannerAlert, todaysAlerts, rolledUp } = await import(
  '../../main/resources/org/smartcity/dashboard/static/alerts.js');

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
