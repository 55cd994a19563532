// Where the WebAssembly module sits: core/ beside js/ and widget/, in the site and in the npm
// package alike. One place for calculator.js, which loads it, and the widget, which preloads it.
export const wasmLocation = () => new URL('../core/gpufit-core.wasm', import.meta.url);
