// The Load view: one replica under continuous batching as users (or the request rate) grow —
// throughput against p50/p99 time to first token and time per output token, the knee marked, the
// SLO drawn — and the GPUs N users need within the SLO. Every point is the core's serving_load
// (calc.update with a sweep over load.concurrency or load.request_rate_per_s); this file only
// keeps the view's inputs and draws.
import {h, replace} from './dom.js';
import {num} from './format.js';

// The curve's points: powers of two (users) or a geometric ladder (rate) up to past the target.
function ladder(kind, target) {
  const top = Math.max(8, target * 2);
  const out = [];
  if (kind === 'concurrency') {
    for (let n = 1; n <= Math.min(top, 4096); n *= 2) out.push(n);
    if (target >= 1 && !out.includes(target)) out.push(target);
  } else {
    for (let r = 0.25; r <= top * 1.0001 && out.length < 16; r *= 2) out.push(Number(r.toPrecision(6)));
    if (target > 0 && !out.includes(target)) out.push(target);
  }
  return out.sort((a, b) => a - b);
}

// The knee: the first point where the replica saturates, or, failing that, where doubling the
// load adds less than 10% throughput.
export function knee(xs, results) {
  for (let i = 0; i < results.length; i++) {
    if (results[i].serving_load.saturated) return xs[i];
    if (i > 0 && results[i].serving_load.output_tokens_per_s < 1.1 * results[i - 1].serving_load.output_tokens_per_s &&
        xs[i] >= 1.9 * xs[i - 1]) return xs[i - 1];
  }
  return null;
}

export class LoadView {
  // rows: the schema's load and slo tables (labels, units, docs); onChange: recompute.
  constructor(root, {loadRows, sloRows, onChange}) {
    this.root = root;
    this.onChange = onChange;
    this.loadRows = loadRows || [];
    this.sloRows = sloRows || [];
    this.state = {kind: 'concurrency', target: '64', length_cv: '', ttft_p99_ms: '2000', tpot_p99_ms: '50'};
    this.inputs = {};
    this.build();
  }

  // What the view adds to the scenario: {load, slo}. Typed text goes to the core as typed, so its
  // message names the field at fault.
  scenarioPart() {
    const value = (t) => {
      const s = String(t ?? '').trim();
      if (s === '') return undefined;
      const n = Number(s);
      return Number.isFinite(n) ? n : s;
    };
    const load = {[this.state.kind]: value(this.state.target)};
    if (value(this.state.length_cv) !== undefined) load.length_cv = value(this.state.length_cv);
    const slo = {};
    for (const k of ['ttft_p99_ms', 'tpot_p99_ms']) if (value(this.state[k]) !== undefined) slo[k] = value(this.state[k]);
    return Object.keys(slo).length ? {load, slo} : {load};
  }

  // From a permalink or the widget: {load, slo} of a scenario.
  set({load, slo} = {}) {
    if (load) {
      this.state.kind = load.request_rate_per_s !== undefined ? 'request_rate_per_s' : 'concurrency';
      this.state.target = String(load[this.state.kind] ?? '');
      this.state.length_cv = load.length_cv === undefined ? '' : String(load.length_cv);
    }
    if (slo) {
      this.state.ttft_p99_ms = slo.ttft_p99_ms === undefined ? '' : String(slo.ttft_p99_ms);
      this.state.tpot_p99_ms = slo.tpot_p99_ms === undefined ? '' : String(slo.tpot_p99_ms);
    }
    this.build();
  }

  row(table, name) {
    return table.find((r) => r.name === name) || {name, label: name, unit: '', doc: ''};
  }

  input(key, row) {
    const id = `load-${key}`;
    const el = h('input', {id, type: 'text', inputmode: 'decimal', value: this.state[key], 'aria-describedby': `${id}-error`,
      oninput: (e) => { this.state[key] = e.target.value; this.onChange(); }});
    this.inputs[key] = el;
    return h('div', {class: 'field'},
      h('label', {for: id}, row.label || row.name, row.unit ? h('span', {class: 'unit'}, ` (${row.unit})`) : ''),
      el, h('p', {class: 'field-error', id: `${id}-error`, role: 'alert'}), row.doc ? h('p', {class: 'help'}, row.doc) : '');
  }

  build() {
    const kindRow = this.row(this.loadRows, this.state.kind);
    const kind = h('select', {id: 'load-kind', onchange: (e) => {
      this.state.kind = e.target.value;
      this.state.target = this.state.kind === 'concurrency' ? '64' : '10';
      this.build();
      this.onChange();
    }}, h('option', {value: 'concurrency', selected: this.state.kind === 'concurrency'}, 'Concurrent users (closed loop)'),
    h('option', {value: 'request_rate_per_s', selected: this.state.kind === 'request_rate_per_s'}, 'Requests per second (Poisson)'));
    this.form = h('form', {class: 'scenario load-form', 'aria-label': 'Load and SLO', onsubmit: (e) => e.preventDefault()},
      h('fieldset', {class: 'section'}, h('legend', {}, 'Load on the service'),
        h('div', {class: 'field'}, h('label', {for: 'load-kind'}, 'Traffic as'), kind),
        this.input('target', kindRow),
        this.input('length_cv', this.row(this.loadRows, 'length_cv'))),
      h('fieldset', {class: 'section'}, h('legend', {}, 'Latency objective (SLO)'),
        this.input('ttft_p99_ms', this.row(this.sloRows, 'ttft_p99_ms')),
        this.input('tpot_p99_ms', this.row(this.sloRows, 'tpot_p99_ms'))));
    this.out = this.out || h('div', {class: 'load-out'});
    replace(this.root, h('div', {class: 'layout'}, this.form, this.out));
  }

  // The sweep the core runs for the curve.
  sweep() {
    const t = Number(this.state.target);
    const target = Number.isFinite(t) && t > 0 ? t : (this.state.kind === 'concurrency' ? 64 : 10);
    return {field: `load.${this.state.kind}`, values: ladder(this.state.kind, target)};
  }

  showError(path, message) {
    for (const el of Object.values(this.inputs)) {
      el.removeAttribute('aria-invalid');
      el.parentElement.querySelector('.field-error').textContent = '';
    }
    if (!path) return false;
    const key = {'/load/concurrency': 'target', '/load/request_rate_per_s': 'target', '/load/length_cv': 'length_cv',
      '/slo/ttft_p99_ms': 'ttft_p99_ms', '/slo/tpot_p99_ms': 'tpot_p99_ms'}[path];
    if (!key) return false;
    this.inputs[key].setAttribute('aria-invalid', 'true');
    this.inputs[key].parentElement.querySelector('.field-error').textContent = message;
    return true;
  }

  // result: the scenario's own result (with load and slo); sweep: {field, values}; curve: its results.
  render(result, sweep, curve, lineChart) {
    const xs = sweep.values;
    const users = this.state.kind === 'concurrency';
    const xLabel = users ? 'concurrent users per replica' : 'requests per second per replica';
    const sl = result.serving_load;
    const slo = result.scenario.slo || {};
    const k = knee(xs, curve);
    const marks = k === null ? [] : [{x: k, label: `knee at ${num(k)}`}];
    const f = result.fleet || {};
    const fleetLine = slo.ttft_p99_ms !== undefined || slo.tpot_p99_ms !== undefined
      ? (f.replicas_for_slo === null || f.replicas_for_slo === undefined
        ? h('p', {class: 'verdict bad'}, 'No load on one replica meets this SLO: relax it, or pick a faster GPU or more GPUs per replica.')
        : h('p', {class: 'verdict good'}, `${num(f.gpus_for_slo)} GPUs (${num(f.replicas_for_slo)} replicas of ${result.scenario.gpu_count}) serve ${num(Number(this.state.target))} ${users ? 'users' : 'requests/s'} within the SLO; one replica takes up to ${num(f.max_rate_per_replica_within_slo)} requests/s within it.`))
      : h('p', {class: 'hint'}, 'Set a p99 TTFT or TPOT objective to size the fleet for it.');
    const summary = h('dl', {class: 'stats'},
      ...[['Output', `${num(sl.output_tokens_per_s)} tokens/s`], ['Requests', `${num(sl.requests_per_s)} /s`],
        ['TTFT p50 / p99', `${num(sl.ttft_ms.p50)} / ${num(sl.ttft_ms.p99)} ms`], ['TPOT p50 / p99', `${num(sl.tpot_ms.p50)} / ${num(sl.tpot_ms.p99)} ms`],
        ['Queueing p99', `${num(sl.queue_ms.p99)} ms`], ['KV cache in use', `${num(100 * sl.kv_cache_utilization)}%`],
        ['Saturated', sl.saturated ? 'yes: requests wait for room' : 'no']]
        .map(([dt, dd]) => h('div', {class: 'stat'}, h('dt', {}, dt), h('dd', {}, dd))));
    const at = (pick) => curve.map((r, i) => [xs[i], pick(r.serving_load)]);
    replace(this.out, fleetLine, summary,
      lineChart({title: 'Output throughput as the load grows', xLabel, yLabel: 'tokens/s', xLog: true,
        series: [{name: 'output tokens/s', points: at((s) => s.output_tokens_per_s)}], marks}),
      lineChart({title: 'Latency as the load grows', xLabel, yLabel: 'ms', xLog: true, yLog: true, marks,
        series: [
          {name: 'TTFT p50', points: at((s) => s.ttft_ms.p50)}, {name: 'TTFT p99', points: at((s) => s.ttft_ms.p99)},
          {name: 'TPOT p50', points: at((s) => s.tpot_ms.p50)}, {name: 'TPOT p99', points: at((s) => s.tpot_ms.p99)},
        ],
        hlines: [
          ...(slo.ttft_p99_ms !== undefined ? [{y: slo.ttft_p99_ms, label: `SLO p99 TTFT ${num(slo.ttft_p99_ms)} ms`}] : []),
          ...(slo.tpot_p99_ms !== undefined ? [{y: slo.tpot_p99_ms, label: `SLO p99 TPOT ${num(slo.tpot_p99_ms)} ms`}] : []),
        ]}),
      h('p', {class: 'hint'}, `Each point simulates one replica: ${num(sl.measured_requests)} measured requests after a warm-up, `,
        `a token budget of ${num(sl.token_budget)} per forward pass, KV-cache room for ${num(sl.kv_capacity_tokens)} tokens. `,
        'The scheduler is continuous batching with chunked prefill, as vLLM, SGLang and TensorRT-LLM run it.'));
  }
}
