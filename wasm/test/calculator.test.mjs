// The WebAssembly module under Node, through the page's own seam (web/js/calculator.js): the golden
// scenarios give the same numbers as the native build (relative difference <= 1e-12) and meet their
// own expectations; bad inputs throw a GpuFitError with the same code, path and message as
// natively; update() answers every view from one reading; the API's other methods work.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.resolve(process.env.GPUFIT_WEB_DIR ?? path.join(root, 'build-wasm/web'));
const cli = process.env.GPUFIT_CLI ?? path.join(root, 'build/cli/gpucalc');
const {createCalculator, GpuFitError} = await import(pathToFileURL(path.join(root, 'web/js/calculator.js')).href);
const calc = await createCalculator({wasmUrl: path.join(webDir, 'core/gpufit-core.wasm'),
  benchmarksUrl: path.join(root, 'data/benchmarks.json')});
// The page loads the measured benchmarks after its first result; native gpucalc has them built
// in. Load them first so both answer from the same catalog.
await calc.loadMeasured();

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const native = (scenario) =>
  JSON.parse(execFileSync(cli, ['evaluate', '-', '--format', 'json'], {input: JSON.stringify(scenario)}).toString());

// Every number equal to 1e-12 relative, every other value equal.
function assertSame(a, b, where = '') {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(Math.abs(a), Math.abs(b), 1e-300);
    assert.ok(Math.abs(a - b) / scale <= 1e-12, `${where}: wasm ${a} vs native ${b}`);
    return;
  }
  if (Array.isArray(a)) {
    assert.equal(a.length, b.length, `${where}: length`);
    a.forEach((x, i) => assertSame(x, b[i], `${where}[${i}]`));
    return;
  }
  if (a && typeof a === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${where}: keys`);
    for (const k of Object.keys(a)) assertSame(a[k], b[k], `${where}.${k}`);
    return;
  }
  assert.equal(a, b, where);
}

const at = (obj, dotted) => dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

const goldenDir = path.join(root, 'tests/golden');
for (const file of readdirSync(goldenDir).filter((f) => f.endsWith('.json')).sort()) {
  test(`golden ${file}: wasm equals native and meets its expectations`, () => {
    const g = readJson(path.join(goldenDir, file));
    const wasm = calc.evaluate(g.scenario);
    assertSame(wasm, native(g.scenario), file);
    for (const e of g.expect) {
      const got = at(wasm, e.path);
      if (typeof e.value !== 'number') {
        assert.equal(got, e.value, e.path);
      } else {
        const tol = e.rel_tol ?? 1e-9;
        assert.ok(Math.abs(got - e.value) <= Math.abs(e.value) * tol + 1e-12, `${e.path}: ${got} vs ${e.value}`);
      }
    }
  });
}

test('a sweep over the batch equals native evaluations', () => {
  const base = {model: 'llama-3.1-70b', weights: 'int4', gpu: 'l4', gpu_count: 2, as_of_date: '2026-11-21'};
  const sweep = calc.sweep(base, 'batch_size', [1, 4, 16, 64]);
  assert.equal(sweep.length, 4);
  const nat = native({...base, batch_size: 16});
  assertSame(sweep[2].decode, nat.decode, 'decode');
  assertSame(sweep[2].serving, nat.serving, 'serving');
});

test('the ranking equals native', () => {
  const scenario = {model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8, as_of_date: '2026-11-21'};
  const wasm = calc.rank(scenario, {by: 'usd_per_million_tokens'});
  const nat = JSON.parse(execFileSync(cli, ['rank', '-', '--format', 'json'], {input: JSON.stringify(scenario)}).toString());
  assertSame(wasm, nat, 'rank');
});

for (const c of readJson(path.join(root, 'tests/bad_inputs.json')).cases) {
  test(`bad input: ${c.name}`, () => {
    const input = c.text ?? c.scenario;
    assert.throws(() => calc.evaluate(input), (e) => {
      assert.ok(e instanceof GpuFitError);
      assert.equal(e.path, c.path);
      assert.equal(e.input, c.input ?? '');
      if (c.message) assert.equal(e.detail, c.message);
      else assert.ok(e.detail.startsWith(c.message_prefix), e.detail);
      // A refusal of input, never the 'internal' code of a core that aborted.
      assert.ok(['invalid_json', 'invalid_value', 'missing_field', 'too_large', 'unknown_field', 'unknown_id'].includes(e.code), e.code);
      return true;
    });
  });
}

test('permalinks round-trip', () => {
  const s = {model: 'llama-3.1-70b', weights: 'int4', gpu: 'l4', gpu_count: 2, context_tokens: 8192};
  const q = calc.permalink.encode(s);
  assert.equal(q, 'model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2&context_tokens=8192');
  assert.deepEqual(calc.permalink.decode(q), s);
  assert.throws(() => calc.permalink.decode('batch_size=NaN'), (e) => e.path === '/batch_size' && e.input === 'permalink');
});

test('catalog, custom entries and benchmarks', () => {
  const all = calc.catalog();
  assert.ok(all.gpus.length >= 22 && all.models.length >= 25);
  const mine = {gpus: [{id: 'my-gpu', name: 'My GPU', memory_gb: 48, memory_bandwidth_gbs: 1000, fp16_tflops: 200, tdp_w: 300}]};
  calc.setCustomEntries(mine);
  const r = calc.evaluate({model: 'llama-3.1-8b', gpu: 'my-gpu', price_usd_per_hour: 1});
  assert.equal(r.scenario.gpu, 'my-gpu');
  assert.throws(() => calc.setCustomEntries({gpus: [{id: 'x', memory_gb: 1}]}), (e) => e.path === '/custom/gpus/0/memory_bandwidth_gbs');
  // The failed call kept the previous custom entries.
  assert.equal(calc.evaluate({model: 'llama-3.1-8b', gpu: 'my-gpu', price_usd_per_hour: 1}).scenario.gpu, 'my-gpu');
  calc.setCustomEntries('');
  assert.throws(() => calc.evaluate({model: 'llama-3.1-8b', gpu: 'my-gpu'}), (e) => e.code === 'unknown_id');
  const withMeasured = calc.evaluate({model: 'llama-3-8b', gpu: 'rtx-4090', weights: 'q4_k_m', engine: 'llama.cpp'});
  assert.ok(withMeasured.measured.length > 0);
});

test('update answers every view from one reading, equal to the calls one by one', () => {
  const scenario = {model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8, as_of_date: '2026-11-21'};
  const out = calc.update(scenario, {rank: {by: 'tokens_per_s'}, sweeps: [{field: 'batch_size', values: [1, 4]}],
    compare: ['l4', 'a100-80gb-sxm'], permalink: true});
  assertSame(out.result, calc.evaluate(scenario), 'result');
  assertSame(out.rank, calc.rank(scenario, {by: 'tokens_per_s'}), 'rank');
  assertSame(out.sweeps[0], calc.sweep(scenario, 'batch_size', [1, 4]), 'sweep');
  assert.equal(out.compare.length, 2);
  assert.equal(out.compare[1].scenario.gpu, 'a100-80gb-sxm');
  assert.equal(out.permalink, 'model=llama-3.1-8b&gpu=l4&batch_size=8&as_of_date=2026-11-21');
  // Only what was asked for.
  assert.deepEqual(Object.keys(calc.update(scenario, {result: false})), []);
  // An error in a view names the views input; one in a sweep's values points at the value.
  assert.throws(() => calc.update(scenario, {rank: {by: 'speed'}}), (e) => e.input === 'views' && e.path === '/rank/by');
  assert.throws(() => calc.update(scenario, {sweeps: [{field: 'batch_size', values: [1, -2]}]}),
    (e) => e.input === 'views' && e.path === '/sweeps/0/values/1' && e.detail === 'must be a positive integer, got -2');
});

test('update answers the charts with the result: values from the core, a sweep result each', () => {
  const scenario = {model: 'llama-3.1-8b', gpu: 'l4', weights: 'int4', as_of_date: '2026-11-21'};
  const out = calc.update(scenario, {charts: true});
  assert.deepEqual(out.charts.map((c) => c.field), ['batch_size', 'context_tokens']);
  const [batch] = out.charts;
  assert.equal(batch.values[0], 1);
  assert.equal(batch.values.at(-1), Math.min(1024, out.result.max_batch_size));
  // Each chart point is the sweep of that value, as calc.sweep computes it.
  assertSame(batch.results, calc.sweep(scenario, 'batch_size', batch.values), 'chart sweep');
});

test('the schema the page builds its form from is the core scenario table', () => {
  const schema = calc.schema();
  const names = schema.tables.scenario.map((f) => f.name);
  for (const n of ['model', 'gpu', 'weights', 'batch_size', 'context_tokens', 'price_usd_per_hour']) assert.ok(names.includes(n), n);
  const batch = schema.tables.scenario.find((f) => f.name === 'batch_size');
  assert.equal(batch.attribute, 'batch');
  assert.equal(batch.default, 1);
  // Native gpucalc prints the same tables.
  assert.deepEqual(JSON.parse(execFileSync(cli, ['schema']).toString()), schema);
});

test('MIG slices and packing answer as natively', () => {
  // Dated as the page dates them: native gpucalc fills a missing as_of_date from its clock, the
  // pure core (and so the module) cannot, and the result echoes the scenario it priced.
  const slice = {model: 'llama-3.1-8b', weights: 'int4', gpu: 'a100-80gb-sxm', mig_profile: '2g.20gb', as_of_date: '2026-12-01'};
  const r = calc.evaluate(slice);
  assert.equal(r.mig.profile, '2g.20gb');
  assertSame(r, native(slice), 'mig');
  assert.throws(() => calc.evaluate({...slice, gpu: 'l4'}), (e) => e instanceof GpuFitError && e.path === '/mig_profile');
  const request = {
    scenarios: [{model: 'llama-3.2-1b', as_of_date: '2026-12-01'}, {model: 'qwen2.5-7b', weights: 'fp8', as_of_date: '2026-12-01'}],
    gpus: ['a100-80gb-sxm'],
  };
  const plan = calc.pack(request);
  const nativePlan = JSON.parse(execFileSync(cli, ['pack', '-', '--format', 'json'], {input: JSON.stringify(request)}).toString());
  assertSame(plan, nativePlan, 'pack');
  assert.equal(plan.plans[0].gpus, 1);
});
