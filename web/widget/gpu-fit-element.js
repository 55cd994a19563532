// <gpu-fit>: the calculator as a vanilla custom element for blog posts. Attributes are its API
// (see the README's table); changing one recomputes. It loads the WebAssembly core only when it
// comes near the viewport, shares one module with every other widget on the page, keeps its
// styles inside its shadow root, and shows its light-DOM text if scripts or WebAssembly fail.
// Attribute values are data: they reach the core as JSON and the page as text, never as markup.
import {h, replace} from '../js/dom.js';
import {counted, money, num} from '../js/format.js';
import {errorBand, gpuLabel, measuredItem, memoryBar} from '../js/results.js';
import {WIDGET_CSS} from './gpu-fit-style.js';
import {wasmLocation} from '../js/wasm-location.js';
import {LOAD_ATTRIBUTES, attributeOfPath, knee, ladder, loadFromAttributes} from '../js/load-curve.js';

const VIEWS = ['fit', 'cost', 'compare', 'rank', 'power', 'fleet', 'load'];

// Attributes that are the widget's own; every other attribute is a scenario field's, as the
// core's schema names it (calc.schema(): each field's `attribute`). The load and slo objects'
// members (concurrency, request-rate, length-cv, ttft-p99-ms, tpot-p99-ms) are the widget's too.
const OWN = ['gpus', 'view', 'editable', 'theme', ...LOAD_ATTRIBUTES.map(([attr]) => attr)];
const NUMERIC = new Set(['number', 'integer', 'count']);
// The model a workload="..." widget shows when it names none.
const WORKLOAD_MODEL = {image: 'sdxl-base-1.0', speech: 'whisper-large-v3', embedding: 'bge-large-en-v1.5'};
const stat = (label, value, detail) => h('div', {class: 'stat'}, h('span', {class: 'label'}, label), h('span', {class: 'value'}, value), detail ? h('span', {class: 'detail'}, detail) : '');
// A ranking row's cost and throughput in its workload's units (image, speech, embedding rows carry
// usd_per_unit and cost_unit); text generation's are $ per 1M tokens and tokens/s.
const rowCost = (r) => money(r.usd_per_unit ?? r.usd_per_million_tokens);
const costHead = (rows) => (rows[0] && rows[0].cost_unit ? `$ per ${rows[0].cost_unit}` : '$ per 1M');
const rateHead = (rows) => (rows[0] && rows[0].throughput_unit) || 'tok/s';

let calculatorPromise = null;  // every widget of the page shares one core

// The module starts downloading beside the calculator's scripts, as index.html's preload does,
// instead of once they have arrived and run: one round trip less before a widget's first answer.
// calculator.js's fetch of the same URL takes this response.
let wasmPreloaded = false;
function preloadWasm() {
  if (wasmPreloaded) return;
  wasmPreloaded = true;
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'fetch';
  link.type = 'application/wasm';
  link.crossOrigin = 'anonymous';
  link.href = wasmLocation().href;
  document.head.append(link);
}

function calculator() {
  if (!calculatorPromise) {
    // Imported on first need: nothing is fetched for a widget that is never scrolled to.
    preloadWasm();
    calculatorPromise = import('../js/calculator.js').then((m) => m.createCalculator()).catch((e) => {
      calculatorPromise = null;
      throw e;
    });
  }
  return calculatorPromise;
}

function sheet() {
  // A constructed stylesheet: no <style> element, so a page whose CSP forbids inline styles
  // still styles the widget.
  if (!sheet.cached && 'adoptedStyleSheets' in Document.prototype) {
    sheet.cached = new CSSStyleSheet();
    sheet.cached.replaceSync(WIDGET_CSS);
  }
  return sheet.cached;
}

export class GpuFitElement extends HTMLElement {
  // Changes to any attribute recompute (a MutationObserver, since the scenario's attribute names
  // come from the core's schema, which is not loaded when the element is defined).
  static get observedAttributes() {
    return OWN;
  }

  // Registers the element; calling it again (the define module loaded twice) does nothing.
  static define(tag = 'gpu-fit', registry = customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return registry.get(tag);
  }

  constructor() {
    super();
    this.root = this.attachShadow({mode: 'open'});
    const s = sheet();
    if (s) this.root.adoptedStyleSheets = [s];
    // Until the first answer the light-DOM text ("Llama 3.1 70B on L4 — calculator") shows.
    this.body = h('div', {class: 'body', part: 'body'}, h('slot'));
    this.root.append(this.body);
    this.scheduled = false;
    this.visible = false;
    this.result = null;
    // The element's own data-state, and attributes no scenario uses (class, style, id, ...), do not.
    const own = (name) => name.startsWith('data-') || name.startsWith('aria-') || ['class', 'style', 'id', 'hidden', 'slot', 'part', 'title'].includes(name);
    this.attributesSeen = new MutationObserver((records) => {
      if (this.visible && records.some((r) => !own(r.attributeName) && !OWN.includes(r.attributeName))) this.update();
    });
    this.attributesSeen.observe(this, {attributes: true});
  }

  connectedCallback() {
    if (this.observer || this.visible) return;
    if ('IntersectionObserver' in window) {
      this.observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.visible = true;
          this.observer.disconnect();
          this.observer = null;
          this.update();
        }
      }, {rootMargin: '300px'});
      this.observer.observe(this);
    } else {
      this.visible = true;
      this.update();
    }
  }

  disconnectedCallback() {
    if (this.observer) {
      this.observer.disconnect();
      this.observer = null;
    }
  }

  attributeChangedCallback() {
    if (this.visible) this.update();
  }

  get view() {
    const v = this.getAttribute('view');
    return VIEWS.includes(v) ? v : 'fit';
  }

  get gpus() {
    const list = (this.getAttribute('gpus') || '').split(',').map((s) => s.trim()).filter(Boolean);
    return list.length ? list.slice(0, 4) : ['l4'];
  }

  // The scenario from the attributes, each read as its schema row types it. Numbers that do not
  // read as numbers go as text, for the core to refuse with its message.
  scenario(schema) {
    const s = {gpu: this.gpus[0]};
    for (const row of schema.tables.scenario) {
      if (!row.attribute || OWN.includes(row.attribute)) continue;
      const raw = this.getAttribute(row.attribute);
      if (raw === null || raw.trim() === '') continue;
      const n = Number(raw);
      s[row.name] = NUMERIC.has(row.type) && Number.isFinite(n) ? n : raw.trim();
    }
    if (!s.model) s.model = WORKLOAD_MODEL[s.workload] || 'llama-3.1-8b';
    // view="load": the load (64 users unless an attribute says) and the SLO.
    if (this.view === 'load') {
      const part = loadFromAttributes((name) => this.getAttribute(name));
      Object.assign(s, part);
      if (!s.load || (s.load.concurrency === undefined && s.load.request_rate_per_s === undefined)) s.load = {concurrency: 64, ...s.load};
    }
    s.as_of_date = new Date().toISOString().slice(0, 10);
    return s;
  }

  update() {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.render().catch((e) => this.fail(e));
    });
  }

  // The calculator could not load (or stopped): the element's own text stands in for it.
  fail(e) {
    this.dataset.state = 'error';
    replace(this.body, h('p', {class: 'error', role: 'alert'}, `The calculator could not load (${e && e.message || e}).`),
      h('div', {class: 'fallback'}, h('slot')));
  }

  async render() {
    const calc = await calculator();
    const theme = this.getAttribute('theme');
    this.body.className = `body theme-${theme === 'dark' || theme === 'light' ? theme : 'auto'}`;
    const schema = this.schemaCache || (this.schemaCache = calc.schema());
    const scenario = this.scenario(schema);
    const catalog = this.catalogCache || (this.catalogCache = calc.catalog('all'));
    const ranked = this.view === 'compare' || this.view === 'rank';
    let content;
    let event;
    try {
      if (this.view === 'load') {
        const kind = scenario.load.request_rate_per_s !== undefined ? 'request_rate_per_s' : 'concurrency';
        const target = Number(scenario.load[kind]);
        const sweep = {field: `load.${kind}`, values: ladder(kind, Number.isFinite(target) && target > 0 ? target : 64)};
        const out = calc.update(scenario, {sweeps: [sweep]});
        content = this.loadView(out.result, sweep, out.sweeps[0]);
        event = out.result;
      } else if (ranked) {
        const ranking = calc.update(scenario, {result: false, rank: this.view === 'compare' ? {gpus: this.gpus} : {}}).rank;
        content = this.view === 'compare' ? this.compareView(ranking) : this.rankView(ranking);
        event = ranking;
      } else {
        const result = calc.update(scenario).result;
        const workload = result.scenario.workload;
        content = workload && workload !== 'llm' ? await this.workloadView(result) : this.resultView(result, catalog.engines);
        event = result;
      }
    } catch (e) {
      if (!e || e.code === 'internal' || e.code === 'load_failed') throw e;
      // Bad input (an attribute, or what a reader typed): name the attribute, and keep the inputs
      // to fix it.
      const field = (e.path || '').split('/')[1] || '';
      const row = schema.tables.scenario.find((r) => r.name === field);
      const where = attributeOfPath(e.path || '') || (row && row.attribute ? row.attribute : (e.path || e.input));
      this.dataset.state = 'invalid';
      replace(this.body, this.editable() ? this.editor(catalog) : '', h('p', {class: 'error', role: 'alert'}, `${where}: ${e.detail}`));
      return;
    }
    this.dataset.state = 'ready';
    replace(this.body, this.editable() ? this.editor(catalog) : '', content,
      h('p', {class: 'credit'}, h('a', {href: this.permalink(calc, scenario), target: '_blank', rel: 'noopener'}, 'Open in GPU Fit')));
    // The page's first widget answer, for timing it (bench/first_load.mjs).
    if (!performance.getEntriesByName('gpu-fit-first-result').length) performance.mark('gpu-fit-first-result');
    this.dispatchEvent(new CustomEvent('gpu-fit-result', {detail: event, bubbles: true, composed: true}));
    if (!this.measuredLoaded && !ranked) {
      this.measuredLoaded = true;
      // Measured results come after the first answer; the widget works without them.
      calc.loadMeasured().then((n) => { if (n) this.update(); }, () => {});
    }
  }

  // Image, speech and embedding results: their view loads with the first such widget.
  async workloadView(r) {
    const m = await import('../js/workload.js');
    return m.widgetView(r, {stat, band: m.errorBand(r.scenario.workload, await m.loadValidation(), {mig: Boolean(r.mig)})});
  }

  permalink(calc, scenario) {
    const {as_of_date: _, ...rest} = scenario;
    try {
      return new URL(`../index.html#${calc.permalink.encode(rest)}`, import.meta.url).href;
    } catch {
      return new URL('../index.html', import.meta.url).href;
    }
  }

  editable() {
    const v = this.getAttribute('editable');
    return v !== null && v !== 'false';
  }

  // A small form: changes are written back to the attributes, the element's API.
  editor(catalog) {
    const field = (label, attr, control) => h('label', {}, h('span', {}, label), control);
    const select = (attr, options, value) => h('select', {'aria-label': attr, onchange: (e) => this.setAttribute(attr, e.target.value)},
      options.map(([v, t]) => h('option', {value: v, selected: v === value}, t)));
    const number = (attr) => h('input', {type: 'text', inputmode: 'numeric', value: this.getAttribute(attr) || '', 'aria-label': attr,
      onchange: (e) => this.setAttribute(attr, e.target.value)});
    const s = this.scenario(this.schemaCache);
    // Each input's attribute and label are its schema row's (context_tokens -> "context", "Context
    // per sequence"; the load's concurrency -> "Concurrent users"), with the unit where it helps.
    const row = (table, name) => this.schemaCache.tables[table].find((r) => r.name === name) || {name};
    const labelOf = (r) => `${r.label || r.name}${r.unit === 'ms' ? ' (ms)' : ''}`;
    const scenarioField = (name, control) => {
      const r = row('scenario', name);
      const a = r.attribute || name;
      return field(labelOf(r), a, control(a));
    };
    const loadField = (table, name) => {
      const [a] = LOAD_ATTRIBUTES.find(([, object, member]) => object === table && member === name);
      return field(labelOf(row(table, name)), a, number(a));
    };
    const models = s.workload && s.workload !== 'llm' ? (catalog.workload_models || []).filter((m) => m.workload === s.workload) : catalog.models;
    return h('form', {class: 'editor', onsubmit: (e) => e.preventDefault()},
      scenarioField('model', (a) => select(a, models.map((m) => [m.id, m.name]), s.model)),
      scenarioField('weights', (a) => select(a, [['', 'default'], ...catalog.formats.map((f) => [f.id, f.id])], s.weights || '')),
      // The widget's gpus attribute holds the GPUs it shows; the editor picks the first.
      this.view === 'compare' ? '' : field(labelOf(row('scenario', 'gpu')), 'gpus', select('gpus', catalog.gpus.map((g) => [g.id, g.name]), this.gpus[0])),
      scenarioField('context_tokens', number),
      this.view === 'load' ? [loadField('load', 'concurrency'), loadField('slo', 'ttft_p99_ms'), loadField('slo', 'tpot_p99_ms')]
        : scenarioField('batch_size', number));
  }

  resultView(r, engines) {
    const gpus = gpuLabel(r.scenario);
    const head = h('p', {class: `verdict ${r.fits ? 'ok' : 'bad'}`},
      h('strong', {}, r.fits ? 'Fits' : 'Does not fit'), ` — ${r.model.name} (${r.scenario.weights}) on ${gpus}`);
    const views = {
      fit: () => [memoryBar(r.memory),
        h('div', {class: 'stats'}, stat('Memory', `${num(r.memory.total_gb)} / ${num(r.memory.available_gb)} GB`),
          stat('Decode', `${num(r.decode.tokens_per_s_per_sequence)} tok/s`, `${num(r.decode.tokens_per_s_total)} total at batch ${num(r.scenario.batch_size)}`),
          stat('Cost', r.cost.usd_per_million_tokens === null ? '–' : `${money(r.cost.usd_per_million_tokens)} / 1M`),
          stat('Max batch', num(r.max_batch_size)))],
      cost: () => [h('div', {class: 'stats'}, stat('$ per 1M tokens', money(r.cost.usd_per_million_tokens)),
        stat('$ per hour', money(r.cost.usd_per_hour)), stat('Tokens/s per $/h', num(r.cost.tokens_per_s_per_usd_per_hour)),
        stat('$ per month', money(r.cost.usd_per_month)))],
      power: () => [h('div', {class: 'stats'}, stat('Draw', `${num(r.power.watts)} W`), stat('Energy', `${num(r.power.joules_per_token)} J/token`),
        stat('Per year', money(r.power.annual_energy_usd)), stat('In the budget', r.power.gpus_in_budget === null ? '–' : `${num(r.power.gpus_in_budget)} GPUs`))],
      fleet: () => [h('div', {class: 'stats'}, r.fleet ? [stat('GPUs needed', r.fleet.gpus_needed === null ? 'none serve' : num(r.fleet.gpus_needed)),
        stat('Replicas', num(r.fleet.replicas)), stat('Users per replica', num(r.fleet.users_per_replica)),
        stat('Fleet $/h', money(r.fleet.usd_per_hour))] : stat('Fleet', 'set users', 'and tokens-per-user'))],
    };
    const band = errorBand(r, engines, this.view === 'power' ? 'power' : 'decode');
    const measured = (r.measured || []).filter((m) => m.kind === 'decode' && m.estimate !== null).slice(0, 2).map(measuredItem);
    return h('div', {class: 'result'}, head, (views[this.view] || views.fit)(),
      band ? h('p', {class: 'band'}, band) : '',
      measured.length ? h('ul', {class: 'measured'}, measured) : '',
      r.warnings.length ? h('ul', {class: 'warnings'}, r.warnings.slice(0, 3).map((w) => h('li', {}, w))) : '');
  }

  // view="load": one replica as the load grows (the page's Load view, as a table), the knee, and
  // the GPUs the load needs within the SLO.
  loadView(r, sweep, curve) {
    const sl = r.serving_load;
    if (!sl) return h('div', {class: 'result'}, h('p', {class: 'verdict bad'}, 'The load view models serving a language model (inference).'));
    const users = sweep.field === 'load.concurrency';
    const xs = sweep.values;
    const k = knee(xs, curve);
    const slo = r.scenario.slo || {};
    const f = r.fleet || {};
    const load = r.scenario.load || {};
    const demand = users ? `${num(r.scenario.users ?? load.concurrency)} users` : `${num(load.request_rate_per_s)} requests/s`;
    const stat = (label, value, detail) => h('div', {class: 'stat'}, h('span', {class: 'label'}, label), h('span', {class: 'value'}, value), detail ? h('span', {class: 'detail'}, detail) : '');
    const hasSlo = Number.isFinite(slo.ttft_p99_ms) || Number.isFinite(slo.tpot_p99_ms);
    const head = !hasSlo ? h('p', {class: 'verdict'}, `${r.model.name} on ${gpuLabel(r.scenario)}: set ttft-p99-ms or tpot-p99-ms to size the fleet for an SLO`)
      : f.gpus_for_slo === null || f.gpus_for_slo === undefined
        ? h('p', {class: 'verdict bad'}, h('strong', {}, 'No load meets the SLO'), ` — ${r.model.name} on ${gpuLabel(r.scenario)}`)
        : h('p', {class: 'verdict ok', dataset: {gpus: String(f.gpus_for_slo)}}, h('strong', {}, counted(f.gpus_for_slo, 'GPU', 'GPUs')),
          ` ${f.gpus_for_slo === 1 ? 'serves' : 'serve'} ${demand} within the SLO — ${r.model.name} on ${num(f.replicas_for_slo)} × ${gpuLabel(r.scenario)}`);
    const rows = xs.map((x, i) => {
      const l = curve[i].serving_load;
      return h('tr', {class: x === k ? 'knee' : ''}, h('th', {scope: 'row'}, `${num(x)}${x === k ? ' (knee)' : ''}`),
        h('td', {}, l ? num(l.output_tokens_per_s) : '–'), h('td', {}, l ? num(l.ttft_ms.p99) : '–'), h('td', {}, l ? num(l.tpot_ms.p99) : '–'));
    });
    return h('div', {class: 'result'}, head,
      h('div', {class: 'stats'}, stat('Output', `${num(sl.output_tokens_per_s)} tok/s`, `one replica at ${users ? `${num(load.concurrency)} users` : `${num(load.request_rate_per_s)} req/s`}`),
        stat('TTFT p99', `${num(sl.ttft_ms.p99)} ms`, `p50 ${num(sl.ttft_ms.p50)} ms`), stat('TPOT p99', `${num(sl.tpot_ms.p99)} ms`, `p50 ${num(sl.tpot_ms.p50)} ms`),
        stat('Knee', k === null ? 'not reached' : `${num(k)} ${users ? 'users' : 'req/s'}`)),
      h('table', {}, h('caption', {}, 'One replica as the load grows'),
        h('thead', {}, h('tr', {}, [users ? 'Users' : 'Req/s', 'tok/s', 'TTFT p99 ms', 'TPOT p99 ms'].map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, rows)),
      hasSlo ? h('p', {class: 'band'}, `SLO: p99 TTFT ${Number.isFinite(slo.ttft_p99_ms) ? `${num(slo.ttft_p99_ms)} ms` : 'any'}, p99 TPOT ${Number.isFinite(slo.tpot_p99_ms) ? `${num(slo.tpot_p99_ms)} ms` : 'any'}`) : '');
  }

  compareView(ranking) {
    const rows = this.gpus.map((id) => ranking.rows.find((r) => r.gpu === id)).filter(Boolean);
    return h('div', {class: 'result'}, h('p', {class: 'verdict ok'}, h('strong', {}, ranking.statement)),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, ''), rows.map((r) => h('th', {scope: 'col'}, r.gpu_name)))),
        h('tbody', {},
          h('tr', {}, h('th', {scope: 'row'}, 'GPUs'), rows.map((r) => h('td', {}, r.fits ? num(r.gpu_count) : 'does not fit'))),
          h('tr', {}, h('th', {scope: 'row'}, rateHead(rows)), rows.map((r) => h('td', {}, num(r.tokens_per_s)))),
          h('tr', {}, h('th', {scope: 'row'}, costHead(rows)), rows.map((r) => h('td', {}, rowCost(r)))),
          h('tr', {}, h('th', {scope: 'row'}, '$ per hour'), rows.map((r) => h('td', {}, money(r.usd_per_hour)))),
          h('tr', {}, h('th', {scope: 'row'}, 'Watts'), rows.map((r) => h('td', {}, num(r.watts)))))));
  }

  rankView(ranking) {
    const rows = ranking.rows.filter((r) => r.fits).slice(0, 8);
    return h('div', {class: 'result'}, h('p', {class: 'verdict ok'}, h('strong', {}, ranking.statement)),
      h('table', {}, h('thead', {}, h('tr', {}, ['GPU', 'n', rateHead(rows), costHead(rows)].map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, rows.map((r) => h('tr', {}, h('th', {scope: 'row'}, r.gpu_name), h('td', {}, num(r.gpu_count)),
          h('td', {}, num(r.tokens_per_s)), h('td', {}, rowCost(r)))))));
  }
}
