// What the Load view and the widget's view="load" share, none of it arithmetic of the model: which
// loads to ask the core for, where the knee is (gpucalc sweep's rule, so the page and the CLI mark
// the same point), the measured load sweeps of data/benchmarks.json grouped for drawing, and the
// widget's attributes for the scenario's load and slo.

const MAX_USERS = 4096;
const MAX_POINTS = 24;

// The loads of the curve: powers of two (users) or a ladder of half-doublings (requests/s) to twice the
// target, the target itself, and any measured loads (`extra`), so model and measurement meet at
// the same x.
export function ladder(kind, target, extra = []) {
  const users = kind === 'concurrency';
  const top = Math.max(users ? 8 : 2, target * 2, ...extra);
  const out = [];
  if (users) {
    for (let n = 1; n <= Math.min(top, MAX_USERS); n *= 2) out.push(n);
  } else {
    // Rates span more than users do (0.1 to 100 requests/s per replica): half-doublings from a
    // 32nd of the target to twice it, or to the highest measured rate.
    const t = target > 0 ? target : 1;
    for (let k = -10; t * 2 ** (k / 2) <= top * 1.0001 && out.length < 18; k++) out.push(Number((t * 2 ** (k / 2)).toPrecision(3)));
  }
  for (const x of [target, ...extra]) {
    if (Number.isFinite(x) && x > 0 && (!users || (Number.isInteger(x) && x <= MAX_USERS))) out.push(x);
  }
  return [...new Set(out)].sort((a, b) => a - b).slice(0, MAX_POINTS);
}

// gpucalc sweep's knee (cli/table.cpp): the first point after the first where the replica
// saturates or output throughput grows by less than 10% over the point before. null: none.
export function knee(xs, results) {
  let previous = 0;
  for (let i = 0; i < results.length; i++) {
    const l = results[i] && results[i].serving_load;
    if (!l) continue;
    if (i > 0 && (l.saturated || l.output_tokens_per_s < 1.1 * previous)) return xs[i];
    previous = l.output_tokens_per_s;
  }
  return null;
}

// The measured serving_load rows grouped into sweeps: one per source, engine, model, GPUs, format
// and lengths, its points ordered by load. A point's TTFT and TPOT are the median where the source
// gives it, else the mean (`stat` says which).
export function measuredSweeps(benchmarks = []) {
  const groups = new Map();
  for (const b of benchmarks) {
    if (b.kind !== 'serving_load') continue;
    const kind = b.concurrency !== undefined && b.concurrency !== null ? 'concurrency' : 'request_rate_per_s';
    const x = b[kind];
    if (!Number.isFinite(x)) continue;
    // Lengths to within 10% of the sweep's first row: a sweep's rows state the mean lengths each
    // run happened to draw (ShareGPT, random datasets), a little different at each load. (Rounded
    // buckets would split two lengths 7% apart that straddle a bucket's edge.)
    const setup = [b.source.split(' ')[0].replace(/\/[^/]*$/, ''), b.engine, b.engine_version, b.model, b.gpu, b.gpu_count, b.weights,
      b.kv_cache, b.length_cv, kind].join('|');
    const near = (a, c) => (Number.isFinite(a) && Number.isFinite(c) && a > 0 && c > 0 ? Math.max(a / c, c / a) <= 1.1 : a === c);
    let key = null;
    for (const [k, g] of groups) {
      if (g.setup === setup && near(g.prompt_tokens, b.prompt_tokens) && near(g.output_tokens, b.output_tokens)) key = k;
    }
    if (key === null) key = `${setup}|${groups.size}`;
    if (!groups.has(key)) {
      // kv_cache and length_cv only where the row states them (the scenario's default otherwise).
      groups.set(key, {key, setup, kind, source: b.source, engine: b.engine, engine_version: b.engine_version, model: b.model,
        gpu: b.gpu, gpu_count: b.gpu_count || 1, weights: b.weights, kv_cache: b.kv_cache || null, prompt_tokens: b.prompt_tokens,
        output_tokens: b.output_tokens, length_cv: Number.isFinite(b.length_cv) ? b.length_cv : 0, points: []});
    }
    const pick = (what) => (Number.isFinite(b[`${what}_p50_ms`]) ? {ms: b[`${what}_p50_ms`], stat: 'p50'}
      : Number.isFinite(b[`${what}_mean_ms`]) ? {ms: b[`${what}_mean_ms`], stat: 'mean'} : {ms: null, stat: ''});
    groups.get(key).points.push({id: b.id, x, tokens_per_s: b.value, ttft: pick('ttft'), tpot: pick('tpot'),
      ttft_p99_ms: Number.isFinite(b.ttft_p99_ms) ? b.ttft_p99_ms : null});
  }
  const out = [...groups.values()];
  for (const g of out) {
    g.points.sort((a, b) => a.x - b.x);
    let host = '';
    try { host = new URL(g.source).host; } catch { host = String(g.source || ''); }
    g.host = host;
    g.label = `${g.engine_version && g.engine_version !== 'not stated' ? g.engine_version : g.engine}: ${g.model} on ` +
      `${g.gpu_count}× ${g.gpu} (${g.weights}), ${Math.round(g.prompt_tokens)} → ${Math.round(g.output_tokens)} tokens (${host})`;
  }
  return out;
}

// The measured sweep taken on this scenario's model, GPU, GPU count and format (the result's
// resolved scenario), or null.
export function matchingSweep(sweeps, result) {
  const s = result.scenario || {};
  const model = result.model && result.model.id;
  return sweeps.find((g) => g.model === model && g.gpu === s.gpu && g.gpu_count === s.gpu_count && g.weights === s.weights) || null;
}

// The scenario fields that reproduce a measured sweep's setup.
export function setupOf(g) {
  const out = {model: g.model, gpu: g.gpu, gpu_count: g.gpu_count, weights: g.weights, engine: g.engine};
  if (g.kv_cache) out.kv_cache = g.kv_cache;
  // Whole tokens, as a scenario takes them (a sweep's rows may state mean lengths: 213.3).
  if (Number.isFinite(g.prompt_tokens)) out.prompt_tokens = Math.round(g.prompt_tokens);
  if (Number.isFinite(g.output_tokens)) out.output_tokens = Math.round(g.output_tokens);
  return out;
}

// The widget's attributes for the scenario's load and slo (objects, which take no attribute of
// their own in the core's schema).
export const LOAD_ATTRIBUTES = [
  ['concurrency', 'load', 'concurrency'],
  ['request-rate', 'load', 'request_rate_per_s'],
  ['length-cv', 'load', 'length_cv'],
  ['ttft-p99-ms', 'slo', 'ttft_p99_ms'],
  ['tpot-p99-ms', 'slo', 'tpot_p99_ms'],
];

// {load, slo} from attributes (get: name -> text or null); text that is not a number goes as
// typed, for the core to name.
export function loadFromAttributes(get) {
  const part = {};
  for (const [attr, object, field] of LOAD_ATTRIBUTES) {
    const raw = get(attr);
    if (raw === null || raw === undefined || String(raw).trim() === '') continue;
    const n = Number(raw);
    (part[object] ||= {})[field] = Number.isFinite(n) ? n : String(raw).trim();
  }
  return part;
}

// Attribute name -> text for a scenario's load and slo.
export function attributesFromLoad(scenario) {
  const attrs = {};
  for (const [attr, object, field] of LOAD_ATTRIBUTES) {
    const v = scenario[object] && scenario[object][field];
    if (v !== undefined && v !== null && v !== '') attrs[attr] = String(v);
  }
  return attrs;
}

// The attribute a core error's path points at ("/load/concurrency" -> "concurrency"), or null.
export function attributeOfPath(path) {
  const hit = LOAD_ATTRIBUTES.find(([, object, field]) => path === `/${object}/${field}`);
  return hit ? hit[0] : null;
}
