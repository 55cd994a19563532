// Image generation, speech-to-text and embeddings on the page and in the widget: the result panel
// for each workload's block (result.image / .speech / .embedding), its memory by component, the
// ranking's columns in its own units, its charts, and the error band from the core's
// source-grouped cross-validation (gpucalc validate's workloads). Loaded when a workload other
// than text generation is first chosen, so the first load of the page carries none of it. Every
// figure is the core's; this file only lays them out.
import {h, replace, sourceText} from './dom.js';
import {gb, money, num, pct, seconds} from './format.js';
import {gpuLabel} from './results.js';

const NAMES = {image: 'image generation', speech: 'speech-to-text', embedding: 'embeddings'};
// Segment colours of the memory bar, reused in turn (the legend names each component).
const COLOURS = ['weights', 'optimizer', 'gradients', 'kv_cache', 'overhead'];

// The workload's headline figures: [label, value, detail].
export function figures(r) {
  const w = r.scenario.workload;
  if (w === 'image') {
    const i = r.image;
    return [
      ['Images per minute', num(i.images_per_minute), `${seconds(i.seconds_per_image)} per image · ${num(i.width)}×${num(i.height)}, ${num(i.steps)} steps`],
      ['$ per 1000 images', i.usd_per_1000_images === null ? 'no price' : money(i.usd_per_1000_images), r.cost.usd_per_hour === null ? 'set your price per GPU' : `${money(r.cost.usd_per_hour)}/h`],
      ['Energy', `${num(i.joules_per_image)} J/image`, `${num(r.power.watts)} W`],
      ['Bound', i.bound, `${num(i.tflops_per_image)} TFLOPs per image at ${pct(i.compute_efficiency * 100)} of peak`],
    ];
  }
  if (w === 'speech') {
    const sp = r.speech;
    return [
      ['Real-time factor', `${num(sp.real_time_factor)}×`, 'seconds of audio transcribed per second'],
      ['Audio hours per GPU hour', num(sp.audio_hours_per_gpu_hour), `${seconds(sp.seconds)} for ${num(r.scenario.audio_seconds)} s of audio`],
      ['$ per audio hour', sp.usd_per_audio_hour === null ? 'no price' : money(sp.usd_per_audio_hour), r.cost.usd_per_hour === null ? 'set your price per GPU' : `${money(r.cost.usd_per_hour)}/h`],
      ['Bound', sp.bound, `${num(sp.decoder_tokens_per_audio_second)} decoder tokens per audio second`],
    ];
  }
  const e = r.embedding;
  return [
    ['Sequences per second', num(e.sequences_per_s), `${num(e.batch_ms)} ms per batch of ${num(r.scenario.batch_size)}`],
    ['Tokens per second', num(e.tokens_per_s)],
    ['$ per 1M tokens', e.usd_per_million_tokens === null ? 'no price' : money(e.usd_per_million_tokens), r.cost.usd_per_hour === null ? 'set your price per GPU' : `${money(r.cost.usd_per_hour)}/h`],
    ['Energy', `${num(e.joules_per_million_tokens)} J per 1M tokens`, `${e.bound}-bound`],
  ];
}

// The memory of one GPU by component (text encoders, UNet or DiT, VAE; encoder, decoder, KV cache;
// weights, activations), with the runtime's overhead and what is left free.
export function componentsBar(memory) {
  const parts = Object.entries(memory.components || {}).filter(([, v]) => v > 0);
  if (memory.overhead_gb > 0) parts.push(['overhead', memory.overhead_gb]);
  const scale = Math.max(memory.available_gb, memory.total_gb);
  const cls = (i, name) => `seg seg-${name === 'overhead' ? 'overhead' : name === 'activations' ? 'activations' : COLOURS[i % COLOURS.length]}`;
  const segs = parts.map(([name, v], i) => {
    const el = h('span', {class: cls(i, name), title: `${name}: ${gb(v)}`});
    el.style.width = `${((v / scale) * 100).toFixed(3)}%`;
    return el;
  });
  if (memory.free_gb > 0) {
    const free = h('span', {class: 'seg seg-free', title: `free: ${gb(memory.free_gb)}`});
    free.style.width = `${((memory.free_gb / scale) * 100).toFixed(3)}%`;
    segs.push(free);
  }
  const label = parts.map(([n, v]) => `${n} ${gb(v)}`).join(', ');
  return h('div', {class: 'memory'},
    h('div', {class: 'membar', role: 'img', 'aria-label': `memory per GPU: ${label}; ${memory.free_gb >= 0 ? `${gb(memory.free_gb)} free` : `${gb(-memory.free_gb)} over`} of ${gb(memory.available_gb)}`}, segs),
    h('ul', {class: 'legend components'}, parts.map(([n, v], i) => h('li', {}, h('span', {class: `swatch ${cls(i, n).slice(4)}`}), `${n.replaceAll('_', ' ')} ${gb(v)}`)),
      memory.free_gb > 0 ? h('li', {}, h('span', {class: 'swatch seg-free'}), `free ${gb(memory.free_gb)}`) : ''));
}

// The workloads' cross-validated errors (gpucalc validate's, written into the site by
// web/build.mjs), fetched once; null where the file cannot be had (the single-file page).
let validationPromise = null;
export function loadValidation() {
  if (!validationPromise) {
    validationPromise = fetch(new URL('../data/workload-validation.json', import.meta.url))
      .then((r) => (r.ok ? r.json() : null)).catch(() => null);
  }
  return validationPromise;
}

// "±14% median error for image generation (...)": the workload's cross-validated error; on a MIG
// slice, also how well the slice-to-whole-card ratio held where a source measured both.
export function errorBand(workload, validation, {mig = false} = {}) {
  const v = validation && (validation.workloads || []).find((x) => x.workload === workload);
  if (!v || v.median_abs_pct === null || v.median_abs_pct === undefined) return '';
  const band = `±${num(v.median_abs_pct)}% typical for ${NAMES[workload]} (median error on sources left out of the fit; ` +
    `p90 ${num(v.p90_abs_pct)}%, ${num(v.n)} measured results from ${num(v.sources)} sources)`;
  if (!mig) return band;
  const m = v.mig || {};
  return band + (m.ratio_n
    ? `. On MIG slices: the slice's time over the whole card's is off by a median ${num(m.ratio_median_abs_pct)}% ` +
      `(p90 ${num(m.ratio_p90_abs_pct)}%, ${num(m.ratio_n)} measured pairs)`
    : '. No measured results on MIG slices of this workload: the slice is the card scaled by its shares');
}

function measuredItem(m) {
  return h('li', {}, `${m.kind.replace(/^[a-z]+:/, '').replaceAll('_', ' ')}${m.batch_size !== null ? ` at batch ${num(m.batch_size)}` : ''}: measured ${num(m.value)}, `,
    m.estimate === null ? `no estimate (${m.no_estimate_why})` : `estimate ${num(m.estimate)} (${pct(m.error_pct, true)})`,
    ' — ', sourceText(m.source), m.date ? ` (${m.date})` : '');
}

// The GPU's media engines (gpus.json nvdec_count, nvenc_count, nvjpg_count), where sourced.
export function mediaEngines(gpu) {
  if (!gpu) return '';
  const parts = [['NVDEC', gpu.nvdec_count], ['NVENC', gpu.nvenc_count], ['NVJPG', gpu.nvjpg_count]]
    .filter(([, n]) => Number.isInteger(n)).map(([name, n]) => `${n} ${name}`);
  return parts.join(', ');
}

// The result panel; `validation`: loadValidation()'s answer.
export function renderResult(root, r, {validation = null} = {}) {
  const mem = r.memory;
  const w = r.scenario.workload;
  const verdict = r.fits
    ? `Fits: ${gb(mem.total_gb)} of ${gb(mem.available_gb)} per GPU`
    : `Does not fit: ${gb(mem.total_gb)} needed per GPU, ${gb(mem.available_gb)} usable`;
  const band = errorBand(w, validation, {mig: Boolean(r.mig)});
  const assumptions = Object.entries(r.assumptions || {}).map(([key, a]) =>
    h('tr', {}, h('th', {scope: 'row'}, key), h('td', {}, typeof a.value === 'number' ? num(a.value) : String(a.value)), h('td', {}, sourceText(a.note))));
  replace(root,
    h('div', {class: `verdict ${r.fits ? 'ok' : 'bad'}`, role: 'status', 'aria-live': 'polite'},
      h('strong', {}, verdict), ` — ${r.model.name} (${r.scenario.weights}) on ${gpuLabel(r.scenario)}, ${r.scenario.engine}`),
    componentsBar(mem),
    h('dl', {class: 'figures', dataset: {workload: w}}, figures(r).map(([label, value, detail]) =>
      h('div', {class: 'figure'}, h('dt', {}, label), h('dd', {}, h('span', {class: 'value'}, value), detail ? h('span', {class: 'detail'}, detail) : '')))),
    band ? h('p', {class: 'band'}, band) : '',
    r.measured.length ? h('section', {class: 'measured'}, h('h3', {}, 'Measured on this GPU and model'), h('ul', {}, r.measured.map(measuredItem))) : '',
    r.warnings.length ? h('section', {class: 'warnings'}, h('h3', {}, 'Warnings'), h('ul', {}, r.warnings.map((x) => h('li', {}, x)))) : '',
    h('details', {class: 'assumptions'}, h('summary', {}, `Assumptions (${assumptions.length})`),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'what'), h('th', {scope: 'col'}, 'value'), h('th', {scope: 'col'}, 'from'))), h('tbody', {}, assumptions))));
}

// The ranking's columns in the workload's units (rows: tokens_per_s holds its throughput,
// ttft_s one item's time, usd_per_unit its cost figure).
const UNITS = {
  image: {rate: 'Images/min', time: 's/image', cost: '$/1000 images'},
  speech: {rate: 'Real-time factor', time: 's per batch', cost: '$/audio hour'},
  embedding: {rate: 'Tokens/s', time: 's per batch', cost: '$/1M tokens'},
};
export function rankColumns(workload) {
  const u = UNITS[workload];
  return [
    {key: 'gpu_name', label: 'GPU', text: true},
    {key: 'gpu_count', label: 'GPUs', by: 'gpus', fmt: num},
    {key: 'weights', label: 'Weights', text: true},
    {key: 'batch_size', label: 'Batch', fmt: num},
    {key: 'tokens_per_s', label: u.rate, by: 'tokens_per_s', fmt: num, desc: true},
    {key: 'ttft_s', label: u.time, fmt: seconds},
    {key: 'memory_total_gb', label: 'GB per GPU', fmt: num},
    {key: 'usd_per_hour', label: '$/hour', fmt: money},
    {key: 'usd_per_unit', label: u.cost, by: 'usd_per_million_tokens', fmt: money},
    {key: 'watts', label: 'Watts', by: 'watts', fmt: num},
  ];
}

// Charts: throughput and cost against batch size, and (images) time against resolution; the
// sweeps' values come from the core (core/src/chart_sweeps.cpp) with the result.
const RATE = {image: ['images per minute', (x) => x.image.images_per_minute], speech: ['real-time factor', (x) => x.speech.real_time_factor],
  embedding: ['tokens per second', (x) => x.embedding.tokens_per_s]};
const COST = {image: ['$ per 1000 images', (x) => x.image.usd_per_1000_images], speech: ['$ per audio hour', (x) => x.speech.usd_per_audio_hour],
  embedding: ['$ per 1M tokens', (x) => x.embedding.usd_per_million_tokens]};

// `charts`: the charts module (its lineChart), loaded by the page when the charts come into view.
export function renderCharts(charts, el, r, sweeps, swept) {
  const w = r.scenario.workload;
  const [rateLabel, rate] = RATE[w];
  const [costLabel, cost] = COST[w];
  const pts = (i, f) => swept[i].map((x, j) => [sweeps[i].values[j], f(x)]);
  const out = [
    charts.lineChart({title: `${rateLabel[0].toUpperCase()}${rateLabel.slice(1)} against batch size`, xLabel: 'batch', yLabel: rateLabel,
      xLog: true, series: [{name: rateLabel, points: pts(0, rate)}]}),
    charts.lineChart({title: 'Memory per GPU against batch size', xLabel: 'batch', yLabel: 'GB per GPU', xLog: true, formatY: (v) => gb(v),
      series: [{name: 'total', points: pts(0, (x) => x.memory.total_gb)}],
      hlines: [{y: r.memory.available_gb, label: `usable ${gb(r.memory.available_gb)}`}]}),
  ];
  if (r.cost.usd_per_hour !== null) {
    out.push(charts.lineChart({title: `${costLabel} against batch size`, xLabel: 'batch', yLabel: costLabel, xLog: true, formatY: money,
      series: [{name: costLabel, points: pts(0, cost)}]}));
  }
  if (sweeps[1]) {
    const x = w === 'image' ? 'image width (pixels)' : 'tokens per sequence';
    out.push(charts.lineChart({title: `${rateLabel[0].toUpperCase()}${rateLabel.slice(1)} against ${x}`, xLabel: x, yLabel: rateLabel,
      xLog: true, yLog: true, series: [{name: rateLabel, points: pts(1, rate)}]}));
  }
  replace(el, out);
}

// The compare view's rows for a workload: [label, text, value, best].
export function compareRows(workload) {
  const own = {
    image: [['Images per minute', (r) => num(r.image.images_per_minute), (r) => r.image.images_per_minute, 'max'],
      ['Seconds per image', (r) => seconds(r.image.seconds_per_image), (r) => r.image.seconds_per_image, 'min'],
      ['$ per 1000 images', (r) => money(r.image.usd_per_1000_images), (r) => r.image.usd_per_1000_images, 'min'],
      ['J per image', (r) => num(r.image.joules_per_image), (r) => r.image.joules_per_image, 'min']],
    speech: [['Real-time factor', (r) => `${num(r.speech.real_time_factor)}×`, (r) => r.speech.real_time_factor, 'max'],
      ['$ per audio hour', (r) => money(r.speech.usd_per_audio_hour), (r) => r.speech.usd_per_audio_hour, 'min'],
      ['Media engines (video, JPEG)', (r) => mediaEngines(r.gpuEntry) || 'not sourced']],
    embedding: [['Tokens per second', (r) => num(r.embedding.tokens_per_s), (r) => r.embedding.tokens_per_s, 'max'],
      ['Sequences per second', (r) => num(r.embedding.sequences_per_s), (r) => r.embedding.sequences_per_s, 'max'],
      ['$ per 1M tokens', (r) => money(r.embedding.usd_per_million_tokens), (r) => r.embedding.usd_per_million_tokens, 'min']],
  }[workload];
  return [
    ['GPUs', (r) => String(r.scenario.gpu_count), (r) => r.scenario.gpu_count, 'min'],
    ['Fits', (r) => (r.fits ? `yes (${gb(r.memory.free_gb)} free)` : 'no'), (r) => (r.fits ? 1 : 0), 'max'],
    ['Memory per GPU', (r) => gb(r.memory.total_gb)],
    ...own,
    ['$ per hour', (r) => money(r.cost.usd_per_hour), (r) => r.cost.usd_per_hour, 'min'],
    ['Power', (r) => `${num(r.power.watts)} W`, (r) => r.power.watts, 'min'],
  ];
}

// The widget's body for a workload result: the memory bar and the headline figures.
export function widgetView(r, {stat, band = ''}) {
  return h('div', {class: 'result'},
    h('p', {class: `verdict ${r.fits ? 'ok' : 'bad'}`}, h('strong', {}, r.fits ? 'Fits' : 'Does not fit'),
      ` — ${r.model.name} (${r.scenario.weights}) on ${gpuLabel(r.scenario)}`),
    componentsBar(r.memory),
    h('div', {class: 'stats', dataset: {workload: r.scenario.workload}}, figures(r).map(([label, value, detail]) => stat(label, value, detail))),
    band ? h('p', {class: 'band'}, band) : '',
    r.warnings.length ? h('ul', {class: 'warnings'}, r.warnings.slice(0, 3).map((x) => h('li', {}, x))) : '');
}
