// The alerts' severity colours (static/colours.js) in Node: the text on each severity's colour is
// readable, by the WCAG 2.x contrast ratio computed here from the sRGB values.

import assert from 'node:assert/strict';
import { test } from 'node:test';

const { SEVERITY_COLOURS, severityInk } = await import('../../main/resources/org/smartcity/dashboard/static/colours.js');

/** WCAG 2.x relative luminance of #rrggbb. */
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test('dark ink on yellow and orange, white on blue and red', () => {
  assert.deepEqual(Object.keys(SEVERITY_COLOURS).map((s) => [s, severityInk(s)]), [
    ['minor', '#ffffff'], ['moderate', '#111418'], ['severe', '#111418'], ['extreme', '#ffffff'],
  ]);
});

test("each severity's text has at least 4.5:1 against its colour (WCAG AA, text under 24 px)", () => {
  const ratios = Object.fromEntries(Object.entries(SEVERITY_COLOURS)
    .map(([s, colour]) => [s, Number(contrast(colour, severityInk(s)).toFixed(2))]));
  // The same worked in Python from the sRGB values; white on #e86a00 would be 3.23, too little.
  assert.deepEqual(ratios, { minor: 6.09, moderate: 10.99, severe: 5.71, extreme: 6.25 });
  assert.equal(Number(contrast('#e86a00', '#ffffff').toFixed(2)), 3.23);
});
