// GPU Fit in JavaScript: the one seam between the page, the widget or a program and the C++ core
// compiled to WebAssembly (gpufit-core.wasm). createCalculator() loads the module once and returns
// methods that take and return plain objects in the product's JSON contract; update() answers
// every view of an input change from one reading of the scenario. A refusal becomes a GpuFitError
// with .code, .path (a JSON Pointer into the input), .input and .detail. Runs in browsers and in
// Node; no logic of the calculator lives here: only loading, text in and out, and errors.
//
//   const calc = await createCalculator();
//   const {result, rank} = calc.update({model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8}, {rank: {}});
import {wasmLocation} from './wasm-location.js';

export class GpuFitError extends Error {
  constructor({code = 'internal', path = '', message = 'unknown error', input = ''} = {}) {
    super([input, path, message].filter(Boolean).join(': '));
    this.name = 'GpuFitError';
    this.code = code;
    this.path = path;    // "/model/kv_heads"
    this.input = input;  // "" for the scenario; "views", "permalink", "custom", "gpus.json", ...
    this.detail = message;  // the message without input and path
  }
}

// Call numbers of wasm/exports.cpp.
const CALLS = {evaluate: 0, update: 1, rank: 2, sweep: 3, catalog: 4, validation: 5, schema: 6,
  setCustomEntries: 7, loadBenchmarks: 8, permalinkDecode: 9, permalinkEncode: 10, inspectHeader: 11,
  modelFromHeaders: 12, pack: 13};

const isNode = typeof process === 'object' && !!process.versions && !!process.versions.node;

// The few imports a standalone module asks for: no files, no clock, no environment. A call to one
// that cannot happen (a write to stdout, exit) is a bug and ends the module.
function imports(getMemory) {
  const fail = (what) => () => { throw new Error(`the calculator's core called ${what}`); };
  return {
    wasi_snapshot_preview1: {
      fd_write: fail('fd_write'), fd_close: fail('fd_close'), fd_seek: fail('fd_seek'), fd_read: fail('fd_read'),
      proc_exit: fail('proc_exit'),
      environ_sizes_get: (count, size) => { const v = new DataView(getMemory().buffer); v.setUint32(count, 0, true); v.setUint32(size, 0, true); return 0; },
      environ_get: () => 0,
      clock_time_get: fail('clock_time_get'),
    },
    env: {emscripten_notify_memory_growth: () => {}},
  };
}

const BENCHMARKS_PATH = '../data/benchmarks.json';

function inlineWasm() {
  // The single-file page carries the module inline (file:// allows no fetch; inline-data.js).
  const bytes = globalThis.GPU_FIT_WASM;
  return bytes instanceof Uint8Array ? bytes : null;
}

async function instantiate({wasmUrl, wasmBytes = inlineWasm()} = {}) {
  let memory = null;
  const imp = imports(() => memory);
  let instance;
  if (wasmBytes) {
    ({instance} = await WebAssembly.instantiate(wasmBytes, imp));
  } else if (isNode) {
    const {readFile} = await import('node:fs/promises');
    const bytes = await readFile(wasmUrl || wasmLocation());
    ({instance} = await WebAssembly.instantiate(bytes, imp));
  } else {
    const url = wasmUrl || wasmLocation();
    // Compiled while it downloads; servers that do not send application/wasm get the slower path.
    const response = fetch(url);
    try {
      ({instance} = await WebAssembly.instantiateStreaming(response, imp));
    } catch (e) {
      const r = await response;
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      ({instance} = await WebAssembly.instantiate(await r.clone().arrayBuffer(), imp));
    }
  }
  memory = instance.exports.memory;
  if (instance.exports._initialize) instance.exports._initialize();  // static constructors
  return instance.exports;
}

let loading = null;  // one module per page, however many calculators or widgets ask

function loadModule(options) {
  if (!loading) {
    loading = instantiate(options).catch((e) => {
      loading = null;  // a failed load can be retried
      throw new GpuFitError({code: 'load_failed', message: `the calculator could not load: ${e && e.message || e}`});
    });
  }
  return loading;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// Bytes (a weight file's header) go in as they are; everything else as JSON text.
const text = (value) => (typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value));

// One call: the arguments copied in, the answer's bytes decoded out before anything else can run.
function caller(core) {
  let stopped = false;
  return (name, args = []) => {
    if (stopped) throw new GpuFitError({message: 'the calculator stopped after an internal error: reload the page'});
    const bufs = args.map((a) => (a instanceof Uint8Array ? a : encoder.encode(text(a))));
    const ptrs = bufs.map((b) => {
      const p = core.gf_alloc(b.length);
      new Uint8Array(core.memory.buffer, p, b.length).set(b);
      return p;
    });
    let answer;
    try {
      const p = core.gf_call(CALLS[name], ptrs[0] || 0, bufs[0] ? bufs[0].length : 0, ptrs[1] || 0,
        bufs[1] ? bufs[1].length : 0, ptrs[2] || 0, bufs[2] ? bufs[2].length : 0);
      answer = decoder.decode(new Uint8Array(core.memory.buffer, p, core.gf_answer_length()));
    } catch (e) {
      stopped = true;  // the core trapped (a bug, never bad input): its state is gone
      loading = null;  // a calculator created after this one loads a fresh module
      throw new GpuFitError({message: `internal error in ${name}: ${e && e.message || e}`});
    } finally {
      for (const p of ptrs) core.gf_free(p);
    }
    // An error is {"error": {...}}; no answer of the contract has "error" as its first key.
    if (answer.startsWith('{"error":')) throw new GpuFitError(JSON.parse(answer).error);
    return answer;
  };
}

// createCalculator({wasmUrl, wasmBytes, benchmarksUrl}): resolves once the module is loaded.
export async function createCalculator(options = {}) {
  const core = await loadModule(options);
  const call = caller(core);
  const json = (name, args) => JSON.parse(call(name, args));
  let measured = null;
  const calc = {
    update: (scenario, views = {}) => json('update', [scenario, views]),
    evaluate: (scenario) => json('evaluate', [scenario]),
    rank: (scenario, options = {}) => json('rank', [scenario, options]),
    // Several scenarios onto the fewest MIG-sliced GPUs (gpucalc pack).
    pack: (request) => json('pack', [request]),
    sweep: (scenario, field, values) => json('sweep', [scenario, field, values]),
    catalog: (kind = 'all') => json('catalog', [kind]),
    schema: () => json('schema', []),
    validation: () => json('validation', []),
    setCustomEntries: (entries) => { call('setCustomEntries', [entries]); },
    // The measured benchmarks (benchmarks.json beside the module), loaded once; resolves to their
    // count. The page asks after its first result, so they never delay it.
    loadMeasured() {
      if (!measured) {
        measured = (async () => {
          let body = globalThis.GPU_FIT_BENCHMARKS;  // the single-file page carries them inline
          if (!body) {
            const url = options.benchmarksUrl || new URL(BENCHMARKS_PATH, import.meta.url);
            if (isNode) {
              const {readFile} = await import('node:fs/promises');
              body = await readFile(url, 'utf8');
            } else {
              const r = await fetch(url);
              if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
              body = await r.text();
            }
          }
          return json('loadBenchmarks', [body]).benchmarks;
        })().catch((e) => { measured = null; throw e; });
      }
      return measured;
    },
    // A weight file's first bytes -> what its header says, or {need_bytes: N} for more of them.
    inspectHeader: (bytes, kind, options = {}) => json('inspectHeader', [bytes, kind, options]),
    // {kind: 'hub', id, config, headers: [header JSON text], bytes_fetched} -> {model, ...}.
    modelFromHeaders: (request) => json('modelFromHeaders', [request]),
    permalink: {
      encode: (scenario) => json('permalinkEncode', [scenario]),
      decode: (query) => json('permalinkDecode', [query]),
    },
  };
  return Object.freeze(calc);
}
