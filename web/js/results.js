// One result, for people: the fit verdict with a stacked memory bar, throughput and latency,
// cost, power, fleet, fine-tuning, the error band from validation, measured results beside the
// estimate, warnings and assumptions in plain words. Every figure is the core's.
import {h, replace, sourceText} from './dom.js';
import {gb, money, num, params, pct, seconds} from './format.js';

const SEGMENTS = [
  ['weights_gb', 'weights'],
  ['kv_cache_gb', 'KV cache'],
  ['activations_gb', 'activations'],
  ['optimizer_gb', 'optimizer'],
  ['gradients_gb', 'gradients'],
  ['overhead_gb', 'overhead'],
];

export function memoryBar(memory) {
  const scale = Math.max(memory.available_gb, memory.total_gb);
  const parts = SEGMENTS.filter(([key]) => memory[key] > 0).map(([key, label]) =>
    h('span', {class: `seg seg-${key.replace('_gb', '')}`, title: `${label}: ${gb(memory[key])}`,
      dataset: {share: String(memory[key] / scale)}}));
  const free = memory.free_gb;
  if (free > 0) parts.push(h('span', {class: 'seg seg-free', title: `free: ${gb(free)}`, dataset: {share: String(free / scale)}}));
  const bar = h('div', {class: 'membar', role: 'img',
    'aria-label': `memory per GPU: ${SEGMENTS.filter(([k]) => memory[k] > 0).map(([k, l]) => `${l} ${gb(memory[k])}`).join(', ')}; ` +
      `${free >= 0 ? `${gb(free)} free` : `${gb(-free)} over`} of ${gb(memory.available_gb)}`}, parts);
  // Widths through the CSS object model: allowed by a style-src 'self' policy, unlike style="".
  for (const seg of parts) seg.style.width = `${(Number(seg.dataset.share) * 100).toFixed(3)}%`;
  if (free < 0) {
    const mark = h('span', {class: 'membar-limit', title: `usable: ${gb(memory.available_gb)}`});
    mark.style.left = `${((memory.available_gb / scale) * 100).toFixed(3)}%`;
    bar.append(mark);
  }
  const legend = h('ul', {class: 'legend'},
    SEGMENTS.filter(([k]) => memory[k] > 0).map(([k, label]) => h('li', {}, h('span', {class: `swatch seg-${k.replace('_gb', '')}`}), `${label} ${gb(memory[k])}`)),
    free > 0 ? h('li', {}, h('span', {class: 'swatch seg-free'}), `free ${gb(free)}`) : '');
  return h('div', {class: 'memory'}, bar, legend);
}

function figure(label, value, detail = '') {
  return h('div', {class: 'figure'}, h('dt', {}, label), h('dd', {}, h('span', {class: 'value'}, value), detail ? h('span', {class: 'detail'}, detail) : ''));
}

// "±17% typical for llama.cpp decode (leave-one-source-out median)": from the engine's validation;
// for power, from the power curve's, which the result carries (null where utilization is given).
export function errorBand(result, engines, kind = 'decode') {
  if (kind === 'power') {
    const e = result.power.typical_error_pct;
    return e === null || e === undefined ? '' : `±${num(e)}% typical for board power (median error on sources left out of the fit)`;
  }
  const engine = engines && engines.find((e) => e.id === result.scenario.engine);
  if (!engine || !engine.error_pct || engine.error_pct[kind] === undefined) return '';
  return `±${num(engine.error_pct[kind])}% typical for ${engine.name} ${kind} (median error on sources left out of the fit)`;
}

// "2× NVIDIA L4"
export const gpuLabel = (scenario) => `${scenario.gpu_count > 1 ? `${scenario.gpu_count}× ` : ''}${scenario.gpu_name}`;

// One measured result beside the estimate, with its error (the core's) and its source.
export function measuredItem(m) {
  return h('li', {},
    `${m.kind}${m.batch_size !== null ? ` at batch ${num(m.batch_size)}` : ''}: measured ${num(m.value)} ${m.kind === 'power' ? 'W' : 'tok/s'}, `,
    m.estimate === null ? `no estimate (${m.no_estimate_why})` : `estimate ${num(m.estimate)} (${pct(m.error_pct, true)})`,
    ' — ', sourceText(m.source), m.date ? ` (${m.date})` : '');
}

export function renderResult(root, result, {engines = []} = {}) {
  const r = result;
  const mem = r.memory;
  const gpus = gpuLabel(r.scenario);
  const verdict = r.fits
    ? `Fits: ${gb(mem.total_gb)} of ${gb(mem.available_gb)} per GPU`
    : `Does not fit: ${gb(mem.total_gb)} needed per GPU, ${gb(mem.available_gb)} usable`;
  const decodeBand = errorBand(r, engines, 'decode');
  const servingBand = errorBand(r, engines, 'serving');
  const powerBand = errorBand(r, engines, 'power');
  const isTraining = r.scenario.mode !== 'inference';

  const figures = [
    figure('Decode, per sequence', `${num(r.decode.tokens_per_s_per_sequence)} tokens/s`,
      `${num(r.decode.tokens_per_s_total)} tokens/s total at batch ${num(r.scenario.batch_size)}`),
    figure('Bound', r.decode.bound,
      r.decode.bound_switch_batch ? `compute-bound from batch ${num(r.decode.bound_switch_batch)}` : 'memory-bound at every batch'),
    figure('Time to first token', seconds(r.latency.ttft_s), `${num(r.prefill.tokens_per_s)} prompt tokens/s`),
    figure('Per output token', `${num(r.latency.time_per_output_token_ms)} ms`),
    figure('Serving', `${num(r.serving.output_tokens_per_s)} tokens/s`, `${num(r.serving.requests_per_s)} requests/s`),
    figure('Cost', r.cost.usd_per_hour === null ? 'no price' : `${money(r.cost.usd_per_million_tokens)} / 1M tokens`,
      r.cost.usd_per_hour === null ? 'set your price per GPU' : `${money(r.cost.usd_per_hour)}/h · ${money(r.cost.usd_per_month)}/month`),
    figure('Power', `${num(r.power.watts)} W`, `${num(r.power.joules_per_token)} J/token · ${money(r.power.annual_energy_usd)}/year`),
    figure('Limits', `batch ≤ ${num(r.max_batch_size)}`,
      `context ≤ ${num(r.max_context_tokens)} tokens · fewest GPUs ${r.min_gpus_to_fit ?? '> 64'}`),
  ];
  if (r.fleet) {
    figures.push(figure('Fleet', r.fleet.replicas === null ? 'not servable' : `${num(r.fleet.gpus_needed)} GPUs`,
      r.fleet.replicas === null ? 'no batch meets the speed floor' :
        `${num(r.fleet.replicas)} replicas × ${num(r.fleet.users_per_replica)} users (${r.fleet.limited_by}) · ${money(r.fleet.usd_per_hour)}/h`));
  }
  if (r.power.gpus_in_budget !== null) figures.push(figure('GPUs in the power budget', num(r.power.gpus_in_budget)));
  if (r.training) {
    figures.push(figure('Fine-tuning time', `${num(r.training.hours)} h`, `${money(r.training.usd)} at MFU ${num(r.training.mfu)}`));
  }
  if (r.cost.break_even_hours) figures.push(figure('Buy vs rent', `${num(r.cost.break_even_hours)} h`, 'of use before buying pays off'));

  const measured = (r.measured || []).map(measuredItem);

  const assumptions = Object.entries(r.assumptions || {}).map(([key, a]) =>
    h('tr', {}, h('th', {scope: 'row'}, key), h('td', {}, typeof a.value === 'number' ? num(a.value) : String(a.value)), h('td', {}, sourceText(a.note))));

  replace(root,
    h('div', {class: `verdict ${r.fits ? 'ok' : 'bad'}`, role: 'status', 'aria-live': 'polite'},
      h('strong', {}, verdict), ` — ${r.model.name} (${r.scenario.weights}, ${params(r.model.params)}) on ${gpus}, ${r.scenario.engine}`,
      isTraining ? `, ${r.scenario.mode}` : ''),
    r.model.source ? h('p', {class: 'source-note'}, `Weights read from the headers of ${r.model.source.id} (${r.model.source.kind}): `,
      Object.entries(r.model.source.weights_bytes_by_dtype).map(([t, b]) => `${t} ${gb(b / 1e9)}`).join(', '),
      r.model.source.bytes_used ? '' : ' — not used: the scenario runs another format',
      ` · ${num(r.model.source.bytes_fetched / 1024)} KB read to learn them`) : '',
    memoryBar(mem),
    h('dl', {class: 'figures'}, figures),
    decodeBand || servingBand || powerBand ? h('p', {class: 'band'}, [decodeBand, servingBand, powerBand].filter(Boolean).join(' · ')) : '',
    measured.length ? h('section', {class: 'measured'}, h('h3', {}, 'Measured on this GPU, model, format and engine'), h('ul', {}, measured)) : '',
    r.warnings.length ? h('section', {class: 'warnings'}, h('h3', {}, 'Warnings'), h('ul', {}, r.warnings.map((w) => h('li', {}, w)))) : '',
    h('details', {class: 'assumptions'}, h('summary', {}, `Assumptions (${assumptions.length})`),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'what'), h('th', {scope: 'col'}, 'value'), h('th', {scope: 'col'}, 'from'))), h('tbody', {}, assumptions))));
}
