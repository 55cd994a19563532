// Times the WebAssembly build on the workloads of bench_gpufit.cpp (same scenario, same options)
// and, when the native benchmark binary is there, prints the wasm-to-native ratio of each.
//   node bench/bench_wasm.mjs [build-wasm/web] [build/bench/gpufit_bench]
// The time includes what a page pays per call: JSON text in, JSON.parse of the reply out.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const webDir = path.resolve(process.argv[2] || 'build-wasm/web');
const nativeBench = path.resolve(process.argv[3] || 'build/bench/gpufit_bench');
const {createCalculator} = await import(pathToFileURL(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../web/js/calculator.js')).href);

const scenario = {model: 'llama-3.1-70b', weights: 'int4', gpu: 'l4', gpu_count: 2, context_tokens: 8192,
  batch_size: 8, users: 100, min_tokens_per_s_per_user: 10, as_of_date: '2026-11-21'};

const t0 = performance.now();
const calc = await createCalculator({wasmUrl: path.join(webDir, 'core/gpufit-core.wasm')});
const loadMs = performance.now() - t0;
// The core reads its built-in catalog on the first call.
const t1 = performance.now();
const formats = calc.catalog('formats').map((f) => f.id);
const catalogMs = performance.now() - t1;

const workloads = {
  BM_Evaluate: () => calc.evaluate(scenario),
  // The page's call per input change: result, ranking of every GPU (the first screen).
  BM_PageUpdate: () => calc.update(scenario, {rank: {}}),
  BM_RankEveryGpu: () => calc.rank(scenario),
  BM_RankEveryGpuCountAndFormat: () => calc.rank(scenario, {counts: [1, 2, 4, 8], formats}),
  BM_SweepBatchAndContext: () => {
    calc.sweep(scenario, 'batch_size', [1, 2, 4, 8, 16, 32, 64, 128, 256]);
    calc.sweep(scenario, 'context_tokens', [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072]);
  },
};

// Median of repeated batches of calls, each batch at least ~200 ms after a warm-up.
function time(fn) {
  for (let i = 0; i < 3; i++) fn();
  let n = 1;
  for (;;) {
    const s = performance.now();
    for (let i = 0; i < n; i++) fn();
    if (performance.now() - s > 200) break;
    n *= 2;
  }
  const samples = [];
  for (let r = 0; r < 5; r++) {
    const s = performance.now();
    for (let i = 0; i < n; i++) fn();
    samples.push((performance.now() - s) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[2] * 1000;  // µs
}

let native = {};
if (existsSync(nativeBench)) {
  const out = JSON.parse(execFileSync(nativeBench, ['--benchmark_format=json', '--benchmark_min_time=0.2',
    '--benchmark_filter=Evaluate|Rank|Sweep'], {encoding: 'utf8', maxBuffer: 1 << 24}));
  const scale = {ns: 1e-3, us: 1, ms: 1e3, s: 1e6};
  for (const b of out.benchmarks) native[b.name] = b.real_time * scale[b.time_unit];
}

console.log(`wasm module load (compile + instantiate): ${loadMs.toFixed(0)} ms; first call (catalog parse): ${catalogMs.toFixed(0)} ms`);
console.log('workload                          wasm µs   native µs   wasm/native');
for (const [name, fn] of Object.entries(workloads)) {
  const wasm = time(fn);
  const n = native[name];
  console.log(`${name.padEnd(32)} ${wasm.toFixed(1).padStart(9)} ${n ? n.toFixed(1).padStart(11) : '          -'}`
    + `   ${n ? (wasm / n).toFixed(2) + '×' : '-'}`);
}
