// The catalog as the WebAssembly module carries it: data/*.json less what only people read
// (sources, notes, per-field sources, the layout prose), so the page's first load does not carry
// 200 KB of citations. The calculations read none of it; the page's catalog view fetches the full
// files when someone opens it. The GPUs', models', workloads' and MIG profiles' sources go (the loader is told: see
// CatalogFiles::sources_required); the shorter ones the catalog's schema requires stay, and so
// does usable_memory_note (a result's assumptions cite it).
//   node wasm/lean_catalog.mjs DATA_DIR OUT_DIR name...
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import path from 'node:path';

const [dataDir, outDir, ...names] = process.argv.slice(2);
const DROP = new Set(['field_sources', 'notes', 'why', 'layout', 'fit', 'measured_by', 'validation', 'schema']);

function lean(value, file) {
  if (Array.isArray(value)) return value.map((v) => lean(v, file));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (DROP.has(k)) continue;
      if (k === 'source' && ['gpus', 'models', 'workloads', 'mig_profiles'].includes(file)) continue;
      out[k] = lean(v, file);
    }
    return out;
  }
  return value;
}

mkdirSync(outDir, {recursive: true});
for (const name of names) {
  const text = readFileSync(path.join(dataDir, `${name}.json`), 'utf8');
  const out = JSON.stringify(lean(JSON.parse(text), name));
  const target = path.join(outDir, `${name}.json`);
  let old = null;
  try { old = readFileSync(target, 'utf8'); } catch { /* first build */ }
  if (old !== out) writeFileSync(target, out);
}
