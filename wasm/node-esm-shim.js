// Emscripten 3.1.6's -sEXPORT_ES6 output still calls require() and __dirname when it runs on
// Node, and ES modules define neither: provide module-scoped ones. In a browser both stay
// undefined. (Copied verbatim to the top of gpufit-core.mjs by --extern-pre-js.)
const require = typeof process == 'object' && process.versions && process.versions.node
  ? (await import('node:module')).createRequire(import.meta.url) : undefined;
const __dirname = require
  ? require('node:path').dirname(require('node:url').fileURLToPath(import.meta.url)) : undefined;
