// The calculator page: loads the core once, keeps the scenario in the form and in the URL, and
// redraws the result, the ranking, the charts and the comparison from what the core returns.
import {createCalculator} from '../gpufit.js';
import {CatalogView} from './catalog-view.js';
import {lineChart} from './charts.js';
import {CompareView} from './compare.js';
import {h, replace} from './dom.js';
import {EmbedBuilder} from './embed-builder.js';
import {ScenarioForm} from './form.js';
import {gb, money, num} from './format.js';
import {loadCustom, parseImport, saveCustom, setAside} from './custom-store.js';
import {RankingView} from './ranking.js';
import {renderResult} from './results.js';

const START = {model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8};
const $ = (id) => document.getElementById(id);

const app = {
  calc: null,
  catalog: null,
  custom: {gpus: [], models: []},
  customProblems: [],
  result: null,
  scheduled: false,
};

function today() {
  return new Date().toISOString().slice(0, 10);
}

// ---- the user's own entries -----------------------------------------------------------------

// Hands the custom entries to the core; an entry it refuses is set aside (kept, with the reason)
// and the rest used.
function applyCustom() {
  let setAsideAny = false;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      app.calc.setCustomEntries(app.custom);
      // What was set aside leaves the saved entries, so the next visit does not set it aside again.
      if (setAsideAny) saveCustom(app.custom);
      return;
    } catch (e) {
      setAsideAny = true;
      const m = /^custom\.(gpus|models)\[(\d+)\]/.exec(e.field || '');
      if (!m) {
        app.customProblems.push(`custom entries not usable: ${e.message}`);
        setAside(JSON.stringify(app.custom), e.message);
        app.custom = {gpus: [], models: []};
        continue;
      }
      const [, kind, index] = m;
      const [removed] = app.custom[kind].splice(Number(index), 1);
      setAside(JSON.stringify(removed), e.message);
      app.customProblems.push(`your ${kind === 'gpus' ? 'GPU' : 'model'} "${String(removed && removed.id).slice(0, 60)}" was set aside: ${e.message}`);
    }
  }
}

const customApi = {
  get: () => app.custom,
  problems: () => app.customProblems,
  importText(text) {
    let incoming;
    try {
      incoming = parseImport(text);
    } catch (e) {
      return {error: e instanceof SyntaxError ? `not valid JSON: ${e.message}` : e.message};
    }
    const merged = {
      gpus: [...app.custom.gpus.filter((g) => !incoming.gpus.some((x) => x.id === g.id)), ...incoming.gpus],
      models: [...app.custom.models.filter((m) => !incoming.models.some((x) => x.id === m.id)), ...incoming.models],
    };
    try {
      app.calc.setCustomEntries(merged);  // the core validates exactly as it reads a scenario
    } catch (e) {
      return {error: e.message};  // the core kept the previous entries
    }
    app.custom = merged;
    saveCustom(app.custom);
    app.form.setCatalog(app.catalog, app.custom.models, app.custom.gpus);
    schedule();
    return {count: incoming.gpus.length + incoming.models.length};
  },
  remove(kind, id) {
    app.custom[kind] = app.custom[kind].filter((e) => e.id !== id);
    saveCustom(app.custom);
    applyCustom();
    app.form.setCatalog(app.catalog, app.custom.models, app.custom.gpus);
    schedule();
  },
  exportText: () => `${JSON.stringify(app.custom, null, 2)}\n`,
};

// ---- measured benchmarks, loaded after the first result ---------------------------------------

// The core's list once they are loaded (for the catalog view).
async function loadBenchmarks() {
  await app.calc.loadMeasured();
  return app.calc.catalog('benchmarks');
}

// ---- the URL ---------------------------------------------------------------------------------

// The scenario in the link: decoded by the core when it is well formed; otherwise shown as typed
// so the core can name what is wrong beside the field.
function scenarioFromHash() {
  const query = location.hash.slice(1);
  if (!query) return null;
  try {
    return app.calc.permalink.decode(query);
  } catch (e) {
    // A field the form has no input for would vanish without a word: say so.
    if (e.code === 'unknown_field') {
      $('notices').append(h('p', {class: 'warning'}, `This link's ${e.detail}; it was left out.`));
    }
    const raw = {};
    for (const [k, v] of new URLSearchParams(query)) {
      if (k === 'model' && v.startsWith('{')) {
        try { raw[k] = JSON.parse(v); continue; } catch { /* shown as text */ }
      }
      raw[k] = v;
    }
    return raw;
  }
}

// The link follows the inputs a moment after they settle: history.replaceState costs Chromium
// several milliseconds a call, a large share of a frame while a slider is dragged.
let hashTimer = 0;
function writeHash(scenario) {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => {
    try {
      const query = app.calc.permalink.encode(scenario);
      if (`#${query}` !== location.hash) history.replaceState(null, '', `#${query}`);
    } catch {
      // an unencodable scenario keeps the previous link
    }
  }, 150);
}

// ---- recomputing -----------------------------------------------------------------------------

function schedule() {
  if (app.scheduled) return;
  app.scheduled = true;
  requestAnimationFrame(() => {
    app.scheduled = false;
    recompute();
  });
}

function charts(scenario, result) {
  const el = $('charts');
  if (result.scenario.mode !== 'inference' || result.decode.tokens_per_s_total === 0) {
    replace(el, h('p', {class: 'hint'}, 'Charts show inference of decoder models.'));
    return;
  }
  const maxBatch = Math.max(1, Math.min(1024, result.max_batch_size || 1));
  const batches = [];
  for (let b = 1; b <= maxBatch; b *= 2) batches.push(b);
  if (batches[batches.length - 1] !== maxBatch) batches.push(maxBatch);
  const byBatch = app.calc.sweep(scenario, 'batch_size', batches);
  const maxContext = Math.max(512, result.model.max_context_tokens || 131072);
  const contexts = [];
  for (let c = 256; c < maxContext; c *= 2) contexts.push(c);
  contexts.push(maxContext);
  const byContext = app.calc.sweep(scenario, 'context_tokens', contexts);
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

function compare(scenario) {
  const ids = app.compareView.selected;
  const results = [];
  for (const gpu of ids) {
    try {
      // Each GPU at its fewest GPUs that fit, as the ranking counts them.
      const rank = app.calc.rank({...scenario, gpu}, {gpus: [gpu]});
      const count = rank.rows[0] ? rank.rows[0].gpu_count : 1;
      results.push({gpu, result: app.calc.evaluate({...scenario, gpu, gpu_count: count})});
    } catch {
      // a GPU the scenario cannot run on is left out
    }
  }
  app.compareView.render([...app.custom.gpus, ...app.catalog.gpus], results);
}

function recompute() {
  const t0 = performance.now();
  const scenario = app.form.read();
  // The link keeps what was typed, valid or not, so a reload or a shared link loses nothing.
  writeHash(scenario);
  // Prices are checked for age against today.
  const dated = {...scenario, as_of_date: today()};
  let result;
  try {
    result = app.calc.evaluate(dated);
  } catch (e) {
    app.form.showError(e.field, e.detail || e.message);
    $('results').classList.add('stale');
    $('status').textContent = `Not recomputed: ${e.message}`;
    if (!app.result) {
      replace($('result'), h('p', {class: 'error', role: 'status'},
        `Nothing computed yet: ${e.message}. Correct the marked field.`));
    }
    return;
  }
  app.form.showError();
  $('results').classList.remove('stale');
  app.result = result;
  renderResult($('result'), result, {engines: app.catalog.engines});
  app.form.setAssumed(result);
  try {
    const ranking = app.calc.rank(dated, app.rankingView.coreOptions(app.catalog.formats.map((f) => f.id)));
    app.rankingView.render(ranking);
  } catch (e) {
    replace($('ranking'), h('p', {class: 'error'}, e.message));
  }
  if (!$('view-calculator').hidden) charts(dated, result);
  if (!$('view-compare').hidden) compare(dated);
  if (!$('view-embed').hidden) app.embedBuilder.update(scenario);
  const ms = performance.now() - t0;
  document.body.dataset.recomputeMs = ms.toFixed(2);
  $('status').textContent = `Recomputed in ${ms.toFixed(1)} ms`;
}

// ---- views and theme --------------------------------------------------------------------------

function showView(name) {
  for (const v of ['calculator', 'compare', 'catalog', 'embed']) {
    $(`view-${v}`).hidden = v !== name;
    const link = $(`nav-${v}`);
    if (v === name) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (name === 'catalog') app.catalogView.render(app.catalog);
  schedule();
}

function initTheme() {
  const button = $('theme');
  const apply = (theme) => {
    if (theme === 'auto') delete document.documentElement.dataset.theme; else document.documentElement.dataset.theme = theme;
    button.textContent = `Theme: ${theme}`;
  };
  let theme = 'auto';
  try { theme = localStorage.getItem('gpu-fit.theme') || 'auto'; } catch { /* no storage */ }
  if (!['auto', 'light', 'dark'].includes(theme)) theme = 'auto';
  apply(theme);
  button.addEventListener('click', () => {
    theme = {auto: 'light', light: 'dark', dark: 'auto'}[theme];
    try { localStorage.setItem('gpu-fit.theme', theme); } catch { /* no storage */ }
    apply(theme);
  });
}

async function boot() {
  initTheme();
  try {
    app.calc = await createCalculator();
  } catch (e) {
    replace($('result'), h('div', {class: 'verdict bad', role: 'alert'},
      h('strong', {}, 'The calculator could not start. '), e.message, ' — reload the page; if it persists, your browser may block WebAssembly.'));
    $('status').textContent = 'failed to load';
    document.body.dataset.ready = 'failed';
    return;
  }
  app.catalog = app.calc.catalog('all');
  const stored = loadCustom();
  app.custom = stored.entries;
  app.customProblems = stored.problems;
  applyCustom();
  if (app.customProblems.length) {
    $('notices').append(...app.customProblems.map((p) => h('p', {class: 'warning'}, p)));
  }
  app.form = new ScenarioForm($('form'), () => schedule());
  app.form.setCatalog(app.catalog, app.custom.models, app.custom.gpus);
  app.rankingView = new RankingView($('ranking'), () => schedule());
  app.compareView = new CompareView($('compare'), () => schedule());
  app.catalogView = new CatalogView($('catalog'), {loadBenchmarks, validation: () => app.calc.validation(), custom: customApi});
  app.embedBuilder = new EmbedBuilder($('embed-builder'));
  app.form.set(scenarioFromHash() || START);
  for (const v of ['calculator', 'compare', 'catalog', 'embed']) {
    $(`nav-${v}`).addEventListener('click', (e) => { e.preventDefault(); showView(v); });
  }
  window.addEventListener('hashchange', () => {
    const s = scenarioFromHash();
    if (s) { app.form.set(s); schedule(); }
  });
  recompute();
  // The page has answered: a result, or the message beside the field at fault.
  document.body.dataset.readyMs = performance.now().toFixed(1);
  document.body.dataset.ready = 'true';
  // The measured results come after the first answer, so they never delay it.
  loadBenchmarks().then(() => {
    document.body.dataset.benchmarks = 'loaded';
    schedule();
  }).catch(() => { document.body.dataset.benchmarks = 'failed'; });
}

// For scripts and tests in the page: the last result and the scenario, read-only.
globalThis.gpuFitPage = Object.freeze({
  result: () => app.result,
  scenario: () => (app.form ? app.form.read() : null),
});

boot();
