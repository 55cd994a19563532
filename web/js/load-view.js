// The Load view: one replica under continuous batching as users (or the request rate) grow —
// throughput against p50/p99 time to first token and time per output token, the knee marked, the
// SLO drawn, a measured sweep beside the model's curve — and the GPUs N users need within the SLO.
// Every point is the core's serving_load (calc.update with a sweep over load.concurrency or
// load.request_rate_per_s); this file keeps the view's inputs and draws. Loaded when first opened.
import {lineChart} from './charts.js';
import {h, replace} from './dom.js';
import {counted, num} from './format.js';
import {knee, ladder, matchingSweep, measuredSweeps, setupOf} from './load-curve.js';

const DEFAULT_TARGET = {concurrency: '64', request_rate_per_s: '2'};

export class LoadView {
  // schema: calc.schema() (the load and slo tables give labels, units, help); onChange: recompute;
  // benchmarks: () => Promise of the measured benchmarks; useSetup(fields): set the calculator's
  // scenario fields (a measured sweep's model, GPU, format, lengths).
  constructor(root, {schema, onChange, benchmarks, useSetup}) {
    this.root = root;
    this.onChange = onChange;
    this.useSetup = useSetup;
    this.loadRows = (schema && schema.tables.load) || [];
    this.sloRows = (schema && schema.tables.slo) || [];
    this.state = {kind: 'concurrency', target: DEFAULT_TARGET.concurrency, length_cv: '', ttft_p99_ms: '2000', tpot_p99_ms: '50',
      measured: 'auto'};
    this.sweeps = [];
    this.inputs = {};
    this.build();
    if (benchmarks) {
      benchmarks().then((list) => {
        this.sweeps = measuredSweeps(list);
        this.fillMeasured();
        this.onChange();
      }, () => {});
    }
  }

  // What the view adds to the scenario: {load, slo}. Typed text goes to the core as typed, so its
  // message names the field at fault.
  scenarioPart() {
    const value = (t) => {
      const s = String(t ?? '').trim();
      if (s === '') return undefined;
      const n = Number(s);
      return Number.isFinite(n) && /^[-+0-9.eE]+$/.test(s) ? n : s;
    };
    const load = {};
    // An empty load input means the default shown as its placeholder, as the calculator's empty
    // inputs mean the core's defaults.
    load[this.state.kind] = value(this.state.target) ?? Number(DEFAULT_TARGET[this.state.kind]);
    if (value(this.state.length_cv) !== undefined) load.length_cv = value(this.state.length_cv);
    const slo = {};
    for (const k of ['ttft_p99_ms', 'tpot_p99_ms']) if (value(this.state[k]) !== undefined) slo[k] = value(this.state[k]);
    const part = {};
    if (Object.keys(load).length) part.load = load;
    if (Object.keys(slo).length) part.slo = slo;
    return part;
  }

  // From a permalink: {load, slo} of a scenario (either may be missing; then the inputs stay).
  set({load, slo} = {}) {
    const text = (v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    if (load && typeof load === 'object') {
      this.state.kind = load.request_rate_per_s !== undefined ? 'request_rate_per_s' : 'concurrency';
      this.state.target = text(load[this.state.kind]);
      this.state.length_cv = text(load.length_cv);
    }
    if (slo && typeof slo === 'object') {
      this.state.ttft_p99_ms = text(slo.ttft_p99_ms);
      this.state.tpot_p99_ms = text(slo.tpot_p99_ms);
    }
    this.build();
  }

  row(table, name) {
    return table.find((r) => r.name === name) || {name, label: name, unit: '', doc: ''};
  }

  input(key, row) {
    const id = `load-${key}`;
    const el = h('input', {id, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', value: this.state[key],
      placeholder: key === 'target' ? DEFAULT_TARGET[this.state.kind] : key === 'length_cv' ? '0' : 'none',
      'aria-describedby': row.doc ? `${id}-help ${id}-error` : `${id}-error`, oninput: (e) => { this.state[key] = e.target.value; this.onChange(); }});
    this.inputs[key] = el;
    return h('div', {class: 'field'},
      h('label', {for: id, class: 'field-label'}, row.label || row.name, row.unit ? h('span', {class: 'unit'}, ` (${row.unit})`) : ''),
      el, row.doc ? h('span', {class: 'hint', id: `${id}-help`}, row.doc) : '', h('p', {class: 'field-error', id: `${id}-error`, role: 'alert'}));
  }

  build() {
    this.inputs = {};
    const kindRow = this.row(this.loadRows, this.state.kind);
    const kind = h('select', {id: 'load-kind', onchange: (e) => {
      this.state.kind = e.target.value;
      this.state.target = DEFAULT_TARGET[this.state.kind];
      this.build();
      this.onChange();
    }}, h('option', {value: 'concurrency', selected: this.state.kind === 'concurrency'}, 'Concurrent users (closed loop)'),
    h('option', {value: 'request_rate_per_s', selected: this.state.kind === 'request_rate_per_s'}, 'Requests per second (Poisson)'));
    this.measuredSelect = h('select', {id: 'load-measured', onchange: (e) => { this.state.measured = e.target.value; this.onChange(); }});
    this.setupButton = h('button', {type: 'button', id: 'load-use-setup', hidden: true, onclick: () => {
      const g = this.sweeps.find((x) => x.key === this.shownKey);
      if (g && this.useSetup) {
        if (g.kind !== this.state.kind) { this.state.kind = g.kind; this.state.target = DEFAULT_TARGET[g.kind]; }
        this.state.length_cv = g.length_cv ? String(g.length_cv) : '';
        this.build();
        this.useSetup(setupOf(g));
      }
    }}, 'Use the measured setup');
    this.fillMeasured();
    const form = h('form', {class: 'scenario load-form', 'aria-label': 'Load and SLO', autocomplete: 'off', onsubmit: (e) => e.preventDefault()},
      h('p', {class: 'hint'}, 'Model, GPU, engine and lengths are the calculator\'s: change them there.'),
      h('fieldset', {class: 'section'}, h('legend', {}, 'Load on one replica'),
        h('div', {class: 'field'}, h('label', {for: 'load-kind', class: 'field-label'}, 'Traffic as'), kind),
        this.input('target', kindRow),
        this.input('length_cv', this.row(this.loadRows, 'length_cv'))),
      h('fieldset', {class: 'section'}, h('legend', {}, 'Latency objective (SLO)'),
        this.input('ttft_p99_ms', this.row(this.sloRows, 'ttft_p99_ms')),
        this.input('tpot_p99_ms', this.row(this.sloRows, 'tpot_p99_ms'))),
      h('fieldset', {class: 'section'}, h('legend', {}, 'Measured'),
        h('div', {class: 'field'}, h('label', {for: 'load-measured', class: 'field-label'}, 'Measured sweep beside the curve'),
          this.measuredSelect, this.setupButton)));
    this.out = this.out || h('div', {class: 'load-out results', 'aria-live': 'polite'});
    replace(this.root, h('div', {class: 'layout'}, form, this.out));
  }

  // The measured sweeps as options, in place (typing elsewhere keeps its focus).
  fillMeasured() {
    if (!this.measuredSelect) return;
    const options = [['auto', 'The one on this model, GPU and format, if any'], ['none', 'None'],
      ...this.sweeps.map((g) => [g.key, g.label])];
    if (!options.some(([v]) => v === this.state.measured)) this.state.measured = 'auto';
    replace(this.measuredSelect, options.map(([v, t]) => h('option', {value: v, selected: v === this.state.measured}, t)));
  }

  // The measured sweep drawn for this result: the chosen one, or (auto) the one taken on this
  // model, GPU, GPU count and format.
  measuredFor(result) {
    if (this.state.measured === 'none') return null;
    if (this.state.measured === 'auto') return matchingSweep(this.sweeps, result);
    return this.sweeps.find((g) => g.key === this.state.measured) || null;
  }

  // The sweep the core runs for the curve: the ladder, with the measured loads on it.
  sweep(group) {
    const t = Number(this.state.target);
    const target = Number.isFinite(t) && t > 0 ? t : Number(DEFAULT_TARGET[this.state.kind]);
    const extra = group && group.kind === this.state.kind ? group.points.map((p) => p.x) : [];
    return {field: `load.${this.state.kind}`, values: ladder(this.state.kind, target, extra)};
  }

  // The core's message beside the view's input it names; true when it named one. No path: clears.
  showError(path = '', message = '') {
    for (const el of Object.values(this.inputs)) {
      el.removeAttribute('aria-invalid');
      document.getElementById(`${el.id}-error`).textContent = '';
    }
    if (!path) return false;
    const key = {'/load/concurrency': 'target', '/load/request_rate_per_s': 'target', '/load/length_cv': 'length_cv',
      '/slo/ttft_p99_ms': 'ttft_p99_ms', '/slo/tpot_p99_ms': 'tpot_p99_ms'}[path] ||
      (path === '/load' || path.startsWith('/load/') ? 'target' : path === '/slo' || path.startsWith('/slo/') ? 'ttft_p99_ms' : null);
    if (!key || !this.inputs[key]) return false;
    this.inputs[key].setAttribute('aria-invalid', 'true');
    document.getElementById(`${this.inputs[key].id}-error`).textContent = message;
    this.root.dataset.state = 'invalid';
    return true;
  }

  // The view for the calculator's result (its scenario dated, with this view's load and slo):
  // the curve from one calc.update call, timed.
  update(calc, dated, result) {
    if (!result.serving_load) {
      this.root.dataset.state = 'ready';
      replace(this.out, h('p', {class: 'hint'}, 'The Load view models serving a language model (inference mode): pick one in the calculator.'));
      return;
    }
    const group = this.measuredFor(result);
    const sweep = this.sweep(group);
    let curve;
    const t0 = performance.now();
    try {
      curve = calc.update(dated, {result: false, sweeps: [sweep]}).sweeps[0];
    } catch (e) {
      this.root.dataset.state = 'invalid';
      replace(this.out, h('p', {class: 'error', role: 'alert'}, `The curve could not be computed: ${e.message}`));
      return;
    }
    const ms = performance.now() - t0;
    this.root.dataset.sweepMs = ms.toFixed(2);
    this.root.dataset.points = String(sweep.values.length);
    this.render(result, sweep, curve, group, ms);
    this.last = {sweep, curve, knee: knee(sweep.values, curve), ms};
    this.root.dataset.renders = String(Number(this.root.dataset.renders || 0) + 1);
    this.root.dataset.state = 'ready';
  }

  render(result, sweep, curve, group, ms) {
    const xs = sweep.values;
    const users = this.state.kind === 'concurrency';
    const xLabel = users ? 'concurrent users on one replica' : 'requests per second to one replica';
    const sl = result.serving_load;
    const sc = result.scenario;
    const slo = sc.slo || {};
    const load = sc.load || {};
    const k = knee(xs, curve);
    this.root.dataset.knee = k === null ? '' : String(k);
    const marks = k === null ? [] : [{x: k, label: `knee at ${num(k)}`}];
    const f = result.fleet || {};
    const n = sc.users !== undefined && sc.users !== null ? sc.users : load.concurrency;
    const demand = load.request_rate_per_s !== null && load.request_rate_per_s !== undefined
      ? `${num(load.request_rate_per_s)} requests/s` : `${num(n)} concurrent users`;
    const hasSlo = slo.ttft_p99_ms !== undefined && slo.ttft_p99_ms !== null || slo.tpot_p99_ms !== undefined && slo.tpot_p99_ms !== null;
    const fleet = !hasSlo ? h('p', {class: 'hint', id: 'load-fleet'}, 'Set a p99 TTFT or TPOT objective to size the fleet for it.')
      : f.replicas_for_slo === null || f.replicas_for_slo === undefined
        ? h('p', {class: 'verdict bad', id: 'load-fleet', dataset: {gpus: ''}}, h('strong', {}, 'No load on one replica meets this SLO'),
          ': relax it, or pick a faster GPU or more GPUs per replica.')
        : h('p', {class: 'verdict', id: 'load-fleet', dataset: {gpus: String(f.gpus_for_slo), replicas: String(f.replicas_for_slo)}},
          h('strong', {}, counted(f.gpus_for_slo, 'GPU', 'GPUs')),
          ` (${counted(f.replicas_for_slo, 'replica', 'replicas')} of ${num(sc.gpu_count)}) ${f.gpus_for_slo === 1 ? 'serves' : 'serve'} ${demand} within the SLO`,
          f.max_rate_per_replica_within_slo !== null && f.max_rate_per_replica_within_slo !== undefined
            ? `; one replica takes up to ${num(f.max_rate_per_replica_within_slo)} requests/s` : '',
          f.users_per_replica_within_slo !== null && f.users_per_replica_within_slo !== undefined
            ? ` or ${num(f.users_per_replica_within_slo)} users within it.` : '.');
    const at = users ? load.concurrency : load.request_rate_per_s;
    const stat = (dt, dd) => h('div', {class: 'figure'}, h('dt', {}, dt), h('dd', {}, h('span', {class: 'value'}, dd)));
    const summary = h('dl', {class: 'figures', 'aria-label': `One replica at ${num(at)} ${users ? 'users' : 'requests/s'}`},
      stat('Output', `${num(sl.output_tokens_per_s)} tokens/s`), stat('Requests', `${num(sl.requests_per_s)} /s`),
      stat('TTFT p50 / p99', `${num(sl.ttft_ms.p50)} / ${num(sl.ttft_ms.p99)} ms`), stat('TPOT p50 / p99', `${num(sl.tpot_ms.p50)} / ${num(sl.tpot_ms.p99)} ms`),
      stat('Queueing p99', `${num(sl.queue_ms.p99)} ms`), stat('KV cache in use', `${num(100 * sl.kv_cache_utilization)}%`),
      stat('Knee', k === null ? 'not reached' : `${num(k)} ${users ? 'users' : 'requests/s'}`),
      stat('Saturated', sl.saturated ? 'yes: requests wait for room' : 'no'));
    const curvePts = (pick) => curve.map((r, i) => [xs[i], r.serving_load ? pick(r.serving_load) : NaN]);
    const shown = group && group.kind === this.state.kind ? group : null;
    this.shownKey = group ? group.key : '';
    this.setupButton.hidden = true;  // shown by measuredNote when the measured setup differs
    const mPts = (pick) => (shown ? shown.points.map((p) => [p.x, pick(p)]).filter(([, y]) => Number.isFinite(y)) : []);
    const throughputSeries = [{name: 'model: output tokens/s', points: curvePts((s) => s.output_tokens_per_s)}];
    const latencySeries = [
      {name: 'TTFT p50', points: curvePts((s) => s.ttft_ms.p50)}, {name: 'TTFT p99', points: curvePts((s) => s.ttft_ms.p99), dashed: true},
      {name: 'TPOT p50', points: curvePts((s) => s.tpot_ms.p50)}, {name: 'TPOT p99', points: curvePts((s) => s.tpot_ms.p99), dashed: true},
    ];
    const ttftStat = shown && (shown.points.find((p) => p.ttft.stat) || {ttft: {}}).ttft.stat;
    const tpotStat = shown && (shown.points.find((p) => p.tpot.stat) || {tpot: {}}).tpot.stat;
    if (shown) {
      throughputSeries.push({name: `measured (${shown.host})`, points: mPts((p) => p.tokens_per_s), dots: true});
      if (ttftStat) latencySeries.push({name: `measured TTFT ${ttftStat}`, points: mPts((p) => p.ttft.ms), dots: true});
      if (tpotStat) latencySeries.push({name: `measured TPOT ${tpotStat}`, points: mPts((p) => p.tpot.ms), dots: true});
    }
    const sloLines = [
      ...(slo.ttft_p99_ms ? [{y: slo.ttft_p99_ms, label: `SLO p99 TTFT ${num(slo.ttft_p99_ms)} ms`}] : []),
      ...(slo.tpot_p99_ms ? [{y: slo.tpot_p99_ms, label: `SLO p99 TPOT ${num(slo.tpot_p99_ms)} ms`}] : []),
    ];
    replace(this.out, fleet, summary, this.measuredNote(group, shown, result),
      h('div', {class: 'charts load-charts'},
        lineChart({title: 'Output throughput as the load grows', xLabel, yLabel: 'tokens/s', xLog: true, series: throughputSeries, marks}),
        lineChart({title: 'Latency as the load grows', xLabel, yLabel: 'ms', xLog: true, yLog: true, marks, series: latencySeries, hlines: sloLines})),
      this.table(xs, curve, k, shown, users),
      h('p', {class: 'hint'}, `${xs.length} load points in ${ms.toFixed(1)} ms. Each simulates one replica: ${num(sl.measured_requests)} measured requests after a warm-up, `,
        `a token budget of ${num(sl.token_budget)} per forward pass, KV-cache room for ${num(sl.kv_capacity_tokens)} tokens; `,
        'continuous batching with chunked prefill, as vLLM, SGLang and TensorRT-LLM schedule. The knee is the first point where the replica saturates or throughput grows by less than 10%.'));
  }

  measuredNote(group, shown, result) {
    if (!group) {
      return this.sweeps.length
        ? h('p', {class: 'hint', id: 'load-measured-note'}, 'No measured load sweep on this model, GPU and format: pick one under Measured to draw it beside the curve.')
        : '';
    }
    const sc = result.scenario;
    const differs = [];
    if (group.model !== (result.model && result.model.id)) differs.push(`model ${group.model}`);
    if (group.gpu !== sc.gpu || group.gpu_count !== sc.gpu_count) differs.push(`${group.gpu_count}× ${group.gpu}`);
    if (group.weights !== sc.weights) differs.push(`format ${group.weights}`);
    if (group.engine !== sc.engine) differs.push(`engine ${group.engine}`);
    if (group.kv_cache && group.kv_cache !== sc.kv_cache) differs.push(`KV cache ${group.kv_cache}`);
    const prompt = Math.round(group.prompt_tokens), output = Math.round(group.output_tokens);
    if (prompt !== sc.prompt_tokens || output !== sc.output_tokens) differs.push(`${prompt} prompt → ${output} output tokens`);
    const cv = (sc.load && sc.load.length_cv) || 0;
    if ((group.length_cv || 0) !== cv) differs.push(`length spread ${group.length_cv || 0}`);
    this.setupButton.hidden = differs.length === 0;
    return h('p', {class: differs.length ? 'warning' : 'hint', id: 'load-measured-note'},
      `Measured: ${group.label}, `, h('a', {href: group.source, rel: 'noopener', target: '_blank'}, 'source'), '. ',
      shown ? '' : `It varies ${group.kind === 'concurrency' ? 'users' : 'the request rate'}: switch Traffic to draw it. `,
      differs.length ? `It was taken with ${differs.join(', ')}, unlike this scenario: use the measured setup to compare like with like.` : 'Same setup as this scenario.');
  }

  // The curve's points as a table (what the charts draw, for screen readers and copying).
  table(xs, curve, k, shown, users) {
    const m = new Map((shown ? shown.points : []).map((p) => [p.x, p]));
    const head = [users ? 'Users' : 'Requests/s', 'Output tokens/s', 'Requests/s', 'TTFT p50 ms', 'TTFT p99 ms', 'TPOT p50 ms', 'TPOT p99 ms',
      'Queue p99 ms', 'KV cache', 'Note', ...(shown ? ['Measured tokens/s', 'Measured TTFT ms', 'Measured TPOT ms'] : [])];
    const rows = xs.map((x, i) => {
      const l = curve[i].serving_load;
      const p = m.get(x);
      const note = [x === k ? 'knee' : '', l && l.saturated ? 'saturated' : ''].filter(Boolean).join(', ');
      const cells = l ? [l.output_tokens_per_s, l.requests_per_s, l.ttft_ms.p50, l.ttft_ms.p99, l.tpot_ms.p50, l.tpot_ms.p99, l.queue_ms.p99]
        .map((v) => h('td', {class: 'num'}, num(v))) : [h('td', {colspan: 7}, 'no estimate')];
      return h('tr', {dataset: {x: String(x)}}, h('th', {scope: 'row'}, num(x)), cells,
        h('td', {class: 'num'}, l ? `${num(100 * l.kv_cache_utilization)}%` : ''), h('td', {}, note),
        shown ? [h('td', {class: 'num'}, p ? num(p.tokens_per_s) : ''), h('td', {class: 'num'}, p && p.ttft.ms !== null ? `${num(p.ttft.ms)} (${p.ttft.stat})` : ''),
          h('td', {class: 'num'}, p && p.tpot.ms !== null ? `${num(p.tpot.ms)} (${p.tpot.stat})` : '')] : '');
    });
    return h('details', {class: 'load-points', open: true}, h('summary', {}, 'The curve\'s points'),
      h('div', {class: 'table-wrap'}, h('table', {id: 'load-table'}, h('caption', {class: 'sr-only'}, 'Load curve: one replica'),
        h('thead', {}, h('tr', {}, head.map((t) => h('th', {scope: 'col'}, t)))), h('tbody', {}, rows))));
  }
}
