// GPU Fit in JavaScript: createCalculator() loads the WebAssembly core once and returns methods
// that take and return plain objects in the product's JSON contract. A core error becomes a
// GpuFitError with .code, .field and .message. Runs in browsers and in Node.
//
//   const calc = await createCalculator();
//   const result = calc.evaluate({model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8});
//
// No logic of the calculator lives here: only loading, conversion and errors.
import createGpuFitModule from './gpufit-core.mjs';

export class GpuFitError extends Error {
  constructor({code = 'internal', field = '', message = 'unknown error'} = {}) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'GpuFitError';
    this.code = code;
    this.field = field;
    this.detail = message;  // the message without the field
  }
}

let modulePromise = null;  // one module per page, however many calculators or widgets ask

const isNode = typeof process === 'object' && !!process.versions && !!process.versions.node;

async function instantiate(options) {
  const moduleOptions = {...options};
  if (isNode && !moduleOptions.wasmBinary) {
    // Emscripten 3.1.6 would fetch() the .wasm, which Node's fetch cannot do for file URLs.
    const {readFile} = await import('node:fs/promises');
    moduleOptions.wasmBinary = await readFile(new URL('./gpufit-core.wasm', import.meta.url));
  }
  return createGpuFitModule(moduleOptions);
}

function loadModule(options) {
  if (!modulePromise) {
    modulePromise = instantiate(options).catch((e) => {
      modulePromise = null;  // a failed load can be retried
      throw new GpuFitError({code: 'load_failed', message: `the calculator could not load: ${e && e.message || e}`});
    });
  }
  return modulePromise;
}

// The answer of the last call, as text: its bytes are read from wasm memory (see
// wasm/bindings.cpp) before any other call can replace them.
const utf8 = new TextDecoder();
const answerText = (module) => utf8.decode(module.answerBytes());

// Modules whose core aborted (a bug, never bad input): their state is gone, so every later call
// on them fails the same way instead of returning nonsense.
const stopped = new WeakSet();

// Calls one core function; a reply is {ok, code, field, message}, the answer beside it (JSON,
// parsed unless `asText`).
function call(module, name, args, {asText = false} = {}) {
  if (stopped.has(module)) {
    throw new GpuFitError({code: 'internal', message: 'the calculator stopped after an internal error: reload the page'});
  }
  let reply;
  try {
    reply = module[name](...args);
  } catch (e) {
    stopped.add(module);
    modulePromise = null;  // a calculator created after this one loads a fresh module
    throw new GpuFitError({code: 'internal', message: `internal error in ${name}: ${e && e.message || e}`});
  }
  if (!reply.ok) throw new GpuFitError(reply);
  const answer = answerText(module);
  return asText ? answer : JSON.parse(answer);
}

const text = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

// The measured benchmarks (data/benchmarks.json beside this file, or the copy the single-file
// page carries inline, where file:// allows no fetch), loaded into a module once however many
// pages parts or widgets ask. Resolves to their count.
const measuredLoads = new WeakMap();
function loadMeasured(module) {
  if (!measuredLoads.has(module)) {
    const inline = globalThis.GPU_FIT_BENCHMARKS;
    const load = (inline ? Promise.resolve(text(inline)) : fetch(new URL('./data/benchmarks.json', import.meta.url))
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status} for the measured benchmarks`)))))
      .then((json) => call(module, 'loadBenchmarks', [json]).benchmarks);
    load.catch(() => measuredLoads.delete(module));  // a failed load can be retried
    measuredLoads.set(module, load);
  }
  return measuredLoads.get(module);
}

export async function createCalculator(options = {}) {
  const module = await loadModule(options);
  return {
    evaluate: (scenario) => call(module, 'evaluate', [text(scenario)]),
    rank: (scenario, rankOptions = {}) => call(module, 'rank', [text(scenario), text(rankOptions)]),
    sweep: (scenario, field, values) => call(module, 'sweep', [text(scenario), String(field), text(values)]),
    catalog: (kind = 'all') => call(module, 'catalog', [String(kind)]),
    validation: () => call(module, 'validation', []),
    setCustomEntries: (entries) => call(module, 'setCustomEntries', [entries ? text(entries) : '']),
    loadBenchmarks: (benchmarks) => call(module, 'loadBenchmarks', [text(benchmarks)]).benchmarks,
    loadMeasured: () => loadMeasured(module),
    permalink: {
      // A query is not JSON: the answer is the query itself.
      encode: (scenario) => call(module, 'permalinkFromScenario', [text(scenario)], {asText: true}),
      decode: (query) => call(module, 'scenarioFromPermalink', [String(query)]),
    },
  };
}
