// The map's geometry (static/map.js) in Node: where a sensor's permanent label goes so that it hides
// no district name, and how the map keeps the city clear of the legend and the alert key. Leaflet
// itself is not loaded: these functions work on boxes in the map's pixels. Run by PageModulesTest.

import assert from 'node:assert/strict';
import { test } from 'node:test';

const { LABEL_SPOTS, labelBox, labelSpot, cornerOf, fitPaddings } = await import(
  '../../main/resources/org/smartcity/dashboard/static/map.js');

const at = [400, 300];
const size = [200, 30];
const area = [0, 0, 800, 600];
const near = (i) => labelBox(at, size, LABEL_SPOTS[i]);

test("a label's box is where Leaflet draws the tooltip, 6 px past its arrow's tip", () => {
  assert.deepEqual(labelBox(at, size, ['right', [16, 0]]), [422, 285, 622, 315]);
  assert.deepEqual(labelBox(at, size, ['left', [-16, 0]]), [178, 285, 378, 315]);
  assert.deepEqual(labelBox(at, size, ['top', [0, -16]]), [300, 248, 500, 278]);
  assert.deepEqual(labelBox(at, size, ['bottom', [0, 16]]), [300, 322, 500, 352]);
  assert.deepEqual(labelBox(at, size, ['right', [16, -40]]), [422, 245, 622, 275]);
});

test('with nothing around, the label goes right of its marker', () => {
  assert.deepEqual(labelSpot(at, size, [], area), { spot: ['right', [16, 0]], box: [422, 285, 622, 315], leader: false });
});

test('a district name right of the marker sends the label left; names on both sides, above', () => {
  const right = [430, 288, 500, 312]; // "Guandu"
  assert.deepEqual(labelSpot(at, size, [right], area), { spot: ['left', [-16, 0]], box: [178, 285, 378, 315], leader: false });
  const left = [250, 288, 360, 312];
  assert.deepEqual(labelSpot(at, size, [right, left], area), { spot: ['top', [0, -16]], box: [300, 248, 500, 278], leader: false });
  // 4 px clear at least: a name 3 px below or above the box above still counts as covered.
  assert.equal(labelSpot(at, size, [right, left, [300, 281, 500, 290]], area).spot[0], 'bottom');
  assert.equal(labelSpot(at, size, [right, left, [300, 240, 500, 245]], area).spot[0], 'bottom');
});

test('all four sides taken: further away, with a leader line', () => {
  const taken = [0, 1, 2, 3].map(near);
  // Right and left 40 px up or down still touch the boxes above and below; 40 px further up is clear.
  assert.deepEqual(labelSpot(at, size, taken, area), { spot: ['top', [0, -56]], box: [300, 208, 500, 238], leader: true });
  const chosen = labelSpot(at, size, taken, area).box;
  for (const t of taken) {
    const apart = chosen[2] + 4 <= t[0] || t[2] <= chosen[0] - 4 || chosen[3] + 4 <= t[1] || t[3] <= chosen[1] - 4;
    assert.ok(apart, `${chosen} clear of ${t}`);
  }
});

test("a leader line crosses no district name: the spot beyond one is left for the next clear one", () => {
  // Names right, left, above and below the marker, close.
  const names = [[430, 290, 480, 310], [330, 290, 370, 310], [405, 240, 430, 270], [380, 330, 420, 350]];
  assert.deepEqual(labelSpot(at, size, names, area), { spot: ['left', [-16, -40]], box: [178, 245, 378, 275], leader: true });
  // A small name between the marker and that spot: its box is clear, its leader is not.
  const between = [386, 280, 396, 288];
  assert.deepEqual(labelSpot(at, size, [...names, between], area),
    { spot: ['right', [40, 40]], box: [446, 325, 646, 355], leader: true });
});

test('a label stays on the map: near its right edge, it goes left', () => {
  assert.deepEqual(labelSpot([700, 300], size, [], area), { spot: ['left', [-16, 0]], box: [478, 285, 678, 315], leader: false });
  // In the top right corner only left and lower fits whole.
  assert.deepEqual(labelSpot([790, 10], size, [], area), { spot: ['left', [-16, 40]], box: [568, 35, 768, 65], leader: true });
});

test('where no spot is clear, the one that covers least', () => {
  // Everything around is taken but a sliver left of the marker.
  const wall = [0, 0, 800, 600];
  const best = labelSpot(at, size, [wall], area);
  const covered = (b) => (Math.min(b[2] + 4, 800) - Math.max(b[0] - 4, 0)) * (Math.min(b[3] + 4, 600) - Math.max(b[1] - 4, 0));
  const least = Math.min(...LABEL_SPOTS.map((s) => covered(labelBox(at, size, s))));
  assert.equal(covered(best.box), least);
});

test('the overlays take the corner up to their left edge and their bottom', () => {
  const legend = [560, 10, 800, 330];
  const key = [650, 340, 800, 460];
  assert.deepEqual(cornerOf([legend, key], [810, 700]), [250, 460]);
  assert.deepEqual(cornerOf([legend], [810, 700]), [250, 330]);
  assert.deepEqual(cornerOf([], [810, 700]), [0, 0]);
});

test('a fit keeps the city left of the overlays or below them, 20 px from everything', () => {
  assert.deepEqual(fitPaddings([250, 460], 20), [
    { paddingTopLeft: [20, 20], paddingBottomRight: [270, 20] },
    { paddingTopLeft: [20, 480], paddingBottomRight: [20, 20] },
  ]);
});
