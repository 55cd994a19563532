// The single-file page's data (web/build.mjs writes them into its first <script>): the module,
// the measured benchmarks and the catalog's details, each gzip-compressed and base64-encoded in
// globalThis.GPU_FIT_PACKED, since file:// allows no fetch. Inline as they are, they made the
// file 2.6 MB; packed, about a quarter of that. Each is unpacked on first use, into the globals the
// page reads where it would otherwise fetch (calculator.js, app.js).
import {gunzipSync, strFromU8} from 'fflate';

const packed = globalThis.GPU_FIT_PACKED || {};

function bytes(base64) {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function lazy(name, key, decode) {
  if (typeof packed[key] !== 'string') return;
  let value;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get: () => (value ??= decode(gunzipSync(bytes(packed[key])))),
  });
}

lazy('GPU_FIT_WASM', 'wasm', (u8) => u8);
lazy('GPU_FIT_BENCHMARKS', 'benchmarks', (u8) => strFromU8(u8));
lazy('GPU_FIT_CATALOG', 'catalog', (u8) => JSON.parse(strFromU8(u8)));
