// The calculator page: loads the core once, keeps the scenario in the form and in the URL, and
// redraws from what the core returns. One call per input change (calc.update) answers the result,
// the ranking and whichever other views are open. What the first screen does not show (charts
// below the fold, the comparison, the catalog with its sources, the embed builder) is loaded when
// it is first needed, so a reader's first result waits for none of it.
import {createCalculator} from './calculator.js';
import {h, replace} from './dom.js';
import {fieldsFromSchema} from './fields.js';
import {ScenarioForm} from './form.js';
import {loadCustom, parseImport, saveCustom, setAside} from './custom-store.js';
import {RankingView} from './ranking.js';
import {renderResult} from './results.js';

const START = {model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8};
const $ = (id) => document.getElementById(id);
// A link to the Pack view's list ("#pack&s=..."; web/js/pack-link.js reads it), not a scenario.
const isPackLink = () => /^#pack(&|$)/.test(location.hash);

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
      const m = /^\/custom\/(gpus|models)\/(\d+)/.exec(e.path || '');
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
      $('notices').append(h('p', {class: 'warning'}, `This link's ${e.detail} was left out.`));
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
    if (!$('view-pack').hidden) return;  // the Pack view's list holds the link
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

// ---- views loaded when first needed ------------------------------------------------------------

const lazy = {};
function load(name, importer) {
  if (!lazy[name]) lazy[name] = importer().catch((e) => { delete lazy[name]; throw e; });
  return lazy[name];
}

// Charts: their module and their sweeps wait until the charts section comes near the screen.
function watchCharts() {
  const el = $('charts');
  const start = () => load('charts', () => import('./charts.js')).then((m) => {
    app.chartsModule = m;
    schedule();
  }).catch((e) => replace(el, h('p', {class: 'error'}, `Charts could not load: ${e.message}`)));
  if (!('IntersectionObserver' in window)) return start();
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      seen.disconnect();
      start();
    }
  }, {rootMargin: '200px'});
  seen.observe(el);
}

async function catalogDetails() {
  // The full entries, sources and notes included (the module carries the numbers only).
  if (!app.catalogDetails && globalThis.GPU_FIT_CATALOG) app.catalogDetails = globalThis.GPU_FIT_CATALOG;
  if (!app.catalogDetails) {
    const r = await fetch(new URL('../data/catalog.json', import.meta.url));
    if (!r.ok) throw new Error(`the catalog's details: HTTP ${r.status}`);
    app.catalogDetails = await r.json();
  }
  return app.catalogDetails;
}

// ---- the Load view's part of the scenario -------------------------------------------------------

// load and slo are objects the form has no inputs for: the Load view keeps them once it is open;
// until then what a link carried is kept here, so the link and the result lose nothing.
function loadPartOf(scenario) {
  const part = {};
  for (const k of ['load', 'slo']) if (scenario && scenario[k] !== undefined) part[k] = scenario[k];
  return Object.keys(part).length ? part : null;
}

function withLoad(scenario) {
  const part = app.loadView ? app.loadView.scenarioPart() : app.loadPart;
  return part ? {...scenario, ...part} : scenario;
}

function setScenario(scenario) {
  app.form.set(scenario);
  const part = loadPartOf(scenario);
  if (app.loadView) { if (part) app.loadView.set(part); } else app.loadPart = part;
  return part;
}

// Image, speech and embedding workloads: their result panel, ranking columns and charts
// (workload.js) load when one is first chosen, then their cross-validated errors.
function workloadView(workload) {
  if (workload === 'llm') return null;
  if (app.workloadView) return app.workloadView;
  load('workload', () => import('./workload.js')).then((m) => {
    app.workloadView = m;
    m.loadValidation().then((v) => { app.workloadValidation = v; schedule(); });
    schedule();
  }, (e) => replace($('result'), h('p', {class: 'error'}, `This workload's view could not load: ${e.message}`)));
  return undefined;  // not yet: drawn when it has loaded
}

// ---- recomputing -----------------------------------------------------------------------------


function recompute() {
  const t0 = performance.now();
  const wv = workloadView(app.form.workload());
  if (wv === undefined) return;
  app.rankingView.setWorkload(app.form.workload(), wv && wv.rankColumns(app.form.workload()));
  const scenario = withLoad(app.form.read());
  // The link keeps what was typed, valid or not, so a reload or a shared link loses nothing.
  writeHash(scenario);
  // Prices are checked for age against today.
  const dated = {...scenario, as_of_date: today()};
  const views = {rank: app.rankingView.coreOptions(app.catalog.formats.map((f) => f.id))};
  const comparing = !$('view-compare').hidden && app.compareView;
  if (comparing) views.compare = app.compareView.selected;
  // The charts' sweeps come in the same answer, their values chosen by the core from the result.
  const charts = app.chartsModule && !$('view-calculator').hidden ? app.chartsModule : null;
  if (charts) views.charts = true;
  let out;
  try {
    out = app.calc.update(dated, views);
  } catch (e) {
    if (e.input === 'views') {
      replace($('ranking'), h('p', {class: 'error'}, e.message));
      return;
    }
    if (!(app.loadView && app.loadView.showError(e.path, e.detail || e.message))) app.form.showError(e.path, e.detail || e.message);
    $('results').classList.add('stale');
    $('status').textContent = `Not recomputed: ${e.message}`;
    if (!app.result) {
      replace($('result'), h('p', {class: 'error', role: 'status'},
        `Nothing computed yet: ${e.message}. Correct the marked field.`));
    }
    return;
  }
  const result = out.result;
  app.form.showError();
  if (app.loadView) app.loadView.showError();
  $('results').classList.remove('stale');
  app.result = result;
  if (wv) wv.renderResult($('result'), result, {validation: app.workloadValidation});
  else renderResult($('result'), result, {engines: app.catalog.engines});
  app.form.setAssumed(result);
  app.rankingView.render(out.rank);
  if (comparing) app.compareView.render([...app.custom.gpus, ...app.catalog.gpus], out.compare.map((r) => ({gpu: r.scenario.gpu, result: r})));
  if (charts) {
    const sweeps = out.charts.map(({field, values}) => ({field, values}));
    const swept = out.charts.map((c) => c.results);
    if (wv) wv.renderCharts(charts, $('charts'), result, sweeps, swept); else charts.render($('charts'), result, sweeps, swept);
  }
  if (app.loadView && !$('view-load').hidden) app.loadView.update(app.calc, dated, result);
  if (!$('view-embed').hidden && app.embedBuilder) app.embedBuilder.update(scenario, result);
  const ms = performance.now() - t0;
  document.body.dataset.recomputeMs = ms.toFixed(2);
  $('status').textContent = `Recomputed in ${ms.toFixed(1)} ms`;
}

// ---- views and theme --------------------------------------------------------------------------

async function showView(name) {
  for (const v of ['calculator', 'compare', 'load', 'catalog', 'embed', 'pack']) {
    $(`view-${v}`).hidden = v !== name;
    const link = $(`nav-${v}`);
    if (v === name) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  const fail = (id) => (e) => replace($(id), h('p', {class: 'error'}, `This view could not load: ${e.message}`));
  if (name === 'compare' && !app.compareView) {
    await load('compare', () => import('./compare.js')).then(({CompareView}) => {
      app.compareView = new CompareView($('compare'), () => schedule());
    }, fail('compare'));
  }
  if (name === 'load' && !app.loadView) {
    await load('load', () => import('./load-view.js')).then(({LoadView}) => {
      app.loadView = new LoadView($('load'), {schema: app.schema, onChange: () => schedule(), benchmarks: loadBenchmarks,
        useSetup: (fields) => { setScenario({...withLoad(app.form.read()), ...fields}); schedule(); }});
      if (app.loadPart) app.loadView.set(app.loadPart);
    }, fail('load'));
  }
  if (name === 'catalog') {
    await load('catalog', () => import('./catalog-view.js')).then(async ({CatalogView}) => {
      if (!app.catalogView) {
        app.catalogView = new CatalogView($('catalog'), {loadBenchmarks, validation: () => app.calc.validation(), custom: customApi});
      }
      app.catalogView.render(await catalogDetails());
    }, fail('catalog'));
  }
  if (name === 'embed' && !app.embedBuilder) {
    await load('embed', () => import('./embed-builder.js')).then(({EmbedBuilder}) => {
      app.embedBuilder = new EmbedBuilder($('embed-builder'), app.schema);
    }, fail('embed-builder'));
  }
  if (name === 'pack') {
    await load('pack', () => import('./pack-view.js')).then(({PackView}) => {
      if (!app.packView) {
        app.packView = new PackView($('pack'), {calc: app.calc, catalog: app.catalog, schema: app.schema, customGpus: () => app.custom.gpus,
          scenario: () => app.form.read(), today});
      }
      if (isPackLink()) app.packView.openLink(location.hash); else app.packView.show();
    }, fail('pack'));
  }
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

// The pre-rendered default result (web/prerender.mjs) gives way to the live page, in the task that
// draws the live answer or the failure to start: no frame shows neither, and a link's hidden
// default never hides that answer. The loading hint stays until a workload's view has loaded.
function dropPrerendered() {
  const result = $('result');
  if (!result.hasAttribute('data-prerendered')) return;
  replace(result, h('p', {class: 'hint'}, 'Loading the calculator…'));
  result.removeAttribute('data-prerendered');
}

async function boot() {
  initTheme();
  try {
    app.calc = await createCalculator();
  } catch (e) {
    dropPrerendered();
    replace($('result'), h('div', {class: 'verdict bad', role: 'alert'},
      h('strong', {}, 'The calculator could not start. '), e.message, ' — reload the page; if it persists, your browser may block WebAssembly.'));
    $('status').textContent = 'failed to load';
    document.body.dataset.ready = 'failed';
    return;
  }
  dropPrerendered();
  app.catalog = app.calc.catalog('all');
  app.schema = app.calc.schema();
  const stored = loadCustom();
  app.custom = stored.entries;
  app.customProblems = stored.problems;
  applyCustom();
  if (app.customProblems.length) {
    $('notices').append(...app.customProblems.map((p) => h('p', {class: 'warning'}, p)));
  }
  app.form = new ScenarioForm($('form'), fieldsFromSchema(app.schema), () => schedule(), app.schema.tables.model);
  app.form.setCatalog(app.catalog, app.custom.models, app.custom.gpus);
  // A model from a Hub id or a dropped weight file: the reading code loads when first used.
  const files = () => load('weight-files', () => import('./weight-files.js'));
  app.form.picker.loader = {
    hub: async (id, token) => (await files()).modelFromHub(app.calc, id, {token}),
    files: async (list) => (await files()).modelFromFiles(app.calc, list),
  };
  app.rankingView = new RankingView($('ranking'), () => schedule());
  const linkedLoad = setScenario((!isPackLink() && scenarioFromHash()) || START);
  for (const v of ['calculator', 'compare', 'load', 'catalog', 'embed', 'pack']) {
    $(`nav-${v}`).addEventListener('click', (e) => { e.preventDefault(); showView(v); });
  }
  window.addEventListener('hashchange', () => {
    if (isPackLink()) { showView('pack'); return; }
    const s = scenarioFromHash();
    if (s) { setScenario(s); schedule(); }
  });
  recompute();
  if (isPackLink()) showView('pack');
  watchCharts();
  // A link with a load opens the Load view.
  if (linkedLoad && linkedLoad.load) showView('load');
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
  scenario: () => (app.form ? withLoad(app.form.read()) : null),
  // The Load view's last curve: {sweep, curve, knee, ms}.
  load: () => (app.loadView ? app.loadView.last : null),
  pack: () => (app.packView ? {request: app.packView.request, answer: app.packView.answer} : null),
});

boot();
