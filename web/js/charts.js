// Line charts in SVG with axes, units, a hover (and arrow-key) readout, and their numbers one
// click away as a table. The points come from the core's sweeps; the chart only draws them.
import {h, replace} from './dom.js';
import {gb, money, num} from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 640, H = 300, M = {left: 64, right: 16, top: 16, bottom: 48};

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function scale(lo, hi, a, b, log) {
  const f = log ? (v) => Math.log10(Math.max(v, 1e-300)) : (v) => v;
  const l = f(lo), u = f(hi);
  const span = u - l || 1;
  return (v) => a + ((f(v) - l) / span) * (b - a);
}

function ticks(lo, hi, log) {
  if (log) {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
      }
    }
    return out.length > 8 ? out.filter((v) => String(v).startsWith('1')) : out;
  }
  const raw = (hi - lo) / 5 || 1;
  const step = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((st) => st >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

// series: [{name, points: [[x, y], ...], dots, dashed}] (dots: points only); marks: [{x, label}] vertical lines; hlines: [{y, label}].
export function lineChart({title, xLabel, yLabel, series, xLog = false, yLog = false, marks = [], hlines = [], formatY = num}) {
  const all = series.flatMap((se) => se.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!yLog || y > 0)));
  if (!all.length) return h('figure', {class: 'chart-box'}, h('figcaption', {}, title), h('p', {class: 'hint'}, 'nothing to draw for this scenario'));
  const xs = all.map((p) => p[0]), ys = [...all.map((p) => p[1]), ...hlines.map((l) => l.y)];
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  let y0 = yLog ? Math.min(...ys) : Math.min(0, ...ys), y1 = Math.max(...ys);
  if (yLog) { y0 /= 1.5; y1 *= 1.5; } else { y1 *= 1.08; }
  const X = scale(x0, x1, M.left, W - M.right, xLog), Y = scale(y0, y1, H - M.bottom, M.top, yLog);
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', tabindex: 0,
    'aria-label': `${title}. ${yLabel} against ${xLabel}. Use the arrow keys to read values, or open the table.`});
  const grid = s('g', {class: 'grid'});
  for (const t of ticks(x0, x1, xLog)) {
    grid.append(s('line', {x1: X(t), x2: X(t), y1: M.top, y2: H - M.bottom}), s('text', {x: X(t), y: H - M.bottom + 16, class: 'tick', 'text-anchor': 'middle'}, num(t)));
  }
  for (const t of ticks(y0, y1, yLog)) {
    grid.append(s('line', {x1: M.left, x2: W - M.right, y1: Y(t), y2: Y(t)}), s('text', {x: M.left - 6, y: Y(t) + 4, class: 'tick', 'text-anchor': 'end'}, formatY(t)));
  }
  svg.append(grid,
    s('text', {x: (M.left + W - M.right) / 2, y: H - 8, class: 'axis-label', 'text-anchor': 'middle'}, xLabel),
    s('text', {x: 14, y: (M.top + H - M.bottom) / 2, class: 'axis-label', 'text-anchor': 'middle', transform: `rotate(-90 14 ${(M.top + H - M.bottom) / 2})`}, yLabel));
  for (const m of marks) {
    if (!(m.x >= x0 && m.x <= x1)) continue;
    svg.append(s('line', {class: 'mark', x1: X(m.x), x2: X(m.x), y1: M.top, y2: H - M.bottom}),
      s('text', {class: 'mark-label', x: X(m.x) + 4, y: M.top + 12}, m.label));
  }
  for (const l of hlines) {
    svg.append(s('line', {class: 'hline', x1: M.left, x2: W - M.right, y1: Y(l.y), y2: Y(l.y)}),
      s('text', {class: 'mark-label', x: W - M.right - 4, y: Y(l.y) - 4, 'text-anchor': 'end'}, l.label));
  }
  series.forEach((se, i) => {
    const pts = se.points.filter(([x, y]) => Number.isFinite(y) && (!yLog || y > 0));
    if (!pts.length) return;
    // A measured series: points only, since its loads are the source's, not a curve.
    if (se.dots) {
      for (const [x, y] of pts) svg.append(s('circle', {class: `dot line-${i}`, cx: X(x).toFixed(1), cy: Y(y).toFixed(1), r: 4.5}));
      return;
    }
    svg.append(s('polyline', {class: `line line-${i}${se.dashed ? ' dashed' : ''}`, points: pts.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ')}));
  });
  // Readout: the nearest x of the first series, every series' value there.
  const xsAll = [...new Set(series.flatMap((se) => se.points.map((p) => p[0])))].sort((a, b) => a - b);
  const cursor = s('line', {class: 'cursor', x1: 0, x2: 0, y1: M.top, y2: H - M.bottom, visibility: 'hidden'});
  svg.append(cursor);
  const tip = h('div', {class: 'tip', hidden: true, 'aria-live': 'polite'});
  let index = -1;
  const show = (i) => {
    index = Math.max(0, Math.min(xsAll.length - 1, i));
    const x = xsAll[index];
    cursor.setAttribute('x1', X(x)); cursor.setAttribute('x2', X(x)); cursor.setAttribute('visibility', 'visible');
    tip.hidden = false;
    tip.textContent = `${xLabel}: ${num(x)} — ` + series.map((se) => {
      const p = se.points.find((q) => q[0] === x);
      return `${se.name}: ${p ? formatY(p[1]) : '–'}`;
    }).join(' · ');
  };
  svg.addEventListener('pointermove', (e) => {
    const r = svg.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * W;
    let best = 0;
    xsAll.forEach((x, i) => { if (Math.abs(X(x) - px) < Math.abs(X(xsAll[best]) - px)) best = i; });
    show(best);
  });
  svg.addEventListener('pointerleave', () => { cursor.setAttribute('visibility', 'hidden'); tip.hidden = true; });
  svg.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      show(index + (e.key === 'ArrowRight' ? 1 : -1));
    }
  });
  const legend = h('ul', {class: 'chart-legend'}, series.map((se, i) => h('li', {}, h('span', {class: `key line-${i}`}), se.name)));
  const table = h('table', {}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, xLabel), series.map((se) => h('th', {scope: 'col'}, se.name)))),
    h('tbody', {}, xsAll.map((x) => h('tr', {}, h('th', {scope: 'row'}, num(x)), series.map((se) => {
      const p = se.points.find((q) => q[0] === x);
      return h('td', {class: 'num'}, p ? formatY(p[1]) : '–');
    })))));
  return h('figure', {class: 'chart-box'}, h('figcaption', {}, title), svg, tip, legend,
    h('details', {}, h('summary', {}, 'Numbers'), h('div', {class: 'table-wrap'}, table)));
}

// The calculator's charts, drawn from the sweeps the core chose and computed with the result
// (calc.update(scenario, {charts: true}); core/src/chart_sweeps.cpp picks the values).
export function render(el, result, sweeps, swept) {
  if (!sweeps.length) {
    replace(el, h('p', {class: 'hint'}, 'Charts show inference of decoder models.'));
    return;
  }
  const [{values: batches}, {values: contexts}] = sweeps;
  const [byBatch, byContext] = swept;
  const perGpu = (b) => b / result.scenario.gpu_count;
  replace(el,
    lineChart({
      title: 'Tokens per second against batch size',
      xLabel: 'batch (concurrent sequences)', yLabel: 'tokens/s', xLog: true, yLog: true,
      series: [
        {name: 'total (decode)', points: byBatch.map((r, i) => [batches[i], r.decode.tokens_per_s_total])},
        {name: 'per sequence', points: byBatch.map((r, i) => [batches[i], r.decode.tokens_per_s_per_sequence])},
        {name: 'serving, prefill included', points: byBatch.map((r, i) => [batches[i], r.serving.output_tokens_per_s])},
      ],
      marks: result.decode.bound_switch_batch ? [{x: result.decode.bound_switch_batch, label: `compute-bound from ${num(result.decode.bound_switch_batch)}`}] : [],
    }),
    result.cost.usd_per_hour === null ? h('p', {class: 'hint'}, 'Set a price to chart the cost.') : lineChart({
      title: '$ per 1M tokens against concurrent users per GPU',
      xLabel: 'users per GPU', yLabel: '$ per 1M output tokens', xLog: true, yLog: true, formatY: money,
      series: [{name: '$ per 1M tokens', points: byBatch.map((r, i) => [perGpu(batches[i]), r.cost.usd_per_million_tokens])}],
    }),
    lineChart({
      title: 'Memory per GPU against context length',
      xLabel: 'context (tokens per sequence)', yLabel: 'GB per GPU', xLog: true, formatY: (v) => gb(v),
      series: [
        {name: 'total', points: byContext.map((r, i) => [contexts[i], r.memory.total_gb])},
        {name: 'KV cache', points: byContext.map((r, i) => [contexts[i], r.memory.kv_cache_gb])},
        {name: 'weights', points: byContext.map((r, i) => [contexts[i], r.memory.weights_gb])},
      ],
      hlines: [{y: result.memory.available_gb, label: `usable ${gb(result.memory.available_gb)}`}],
    }));
}
