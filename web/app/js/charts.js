// Line charts with uPlot, as the pages draw them: the series the API gave, a legend
// of our own in words (each chart also has a table of its figures beside it, the
// text alternative), Vietnamese numbers on the axes, resized with the window.
import uPlot from '/assets/vendor/uplot/uPlot.esm.js';
import * as format from './format.js';

/** The colours of series, in order: each keeps 4.5:1 against white. */
const COLOURS = ['#1c4f8c', '#1d6b3a', '#b3261e', '#8a5300'];

/**
 * Draws a chart into `box` and returns it. `xs` are the x values (seconds since
 * 1970 when `time`, else 0, 1, 2…), `xLabel(x)` says each in words, and each of
 * `series` is `{ label, values, dash, points }` (values aligned on `xs`, null where
 * it has none; lines go across the gaps). `xRange` and `xIncrs` fix the x axis's
 * span and steps (periods numbered 0, 1, 2… step by whole periods).
 */
export function lineChart(box, { xs, xLabel, series, yLabel, time = false, yMin, xRange, xIncrs }) {
  const width = () => Math.max(260, box.clientWidth);
  const chart = new uPlot({
    width: width(),
    height: 240,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: xRange ? { time, range: xRange } : { time },
      y: { range: (_, min, max) => [Math.min(yMin ?? min, min), max === min ? max + 1 : max] },
    },
    series: [
      {},
      ...series.map((s, i) => ({
        label: s.label,
        stroke: s.colour || COLOURS[i % COLOURS.length],
        width: 2,
        dash: s.dash,
        spanGaps: true,
        points: { show: true, size: s.points ?? 7 },
      })),
    ],
    axes: [
      { values: (_, splits) => splits.map((x) => xLabel(x)), space: 70, ...(xIncrs ? { incrs: xIncrs } : {}) },
      { values: (_, splits) => splits.map((v) => format.number(v)), size: 64, label: yLabel },
    ],
  }, [xs, ...series.map((s) => s.values)], box);
  window.addEventListener('resize', () => chart.setSize({ width: width(), height: 240 }));
  return chart;
}

/** A legend for a chart, in words: a list of each series' name with its colour. */
export function legend(list, series) {
  list.replaceChildren();
  series.forEach((s, i) => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = s.dash ? 'swatch dashed' : 'swatch';
    swatch.style.borderColor = s.colour || COLOURS[i % COLOURS.length];
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, document.createTextNode(s.label));
    list.append(item);
  });
}

/** A day yyyy-mm-dd as seconds since 1970 (midnight in Vietnam). */
export function seconds(day) {
  return Date.parse(`${day}T00:00:00+07:00`) / 1000;
}
