// Builds the site around the WebAssembly core (OUT = build-wasm/web, where CMake put core/):
//   js/app.js            the page: one bundle (esbuild), what the first screen needs; the views it
//                        does not show first (charts, comparison, catalog, embed builder) as chunks
//                        loaded when they are opened
//   widget/gpu-fit.js    the <gpu-fit> define module; the calculator chunk loads when a widget
//                        nears the viewport
//   js/embed.js          embed.html's script
//   index.html           the page, its stylesheet and first-paint script inline, the first-load files
//                        preloaded so the wasm downloads and compiles while the scripts arrive
//   data/                the measured benchmarks and the full catalog (sources, notes), fetched when
//                        a view needs them
//   schema/, gpufit.d.ts the JSON Schemas and TypeScript declarations (from the native gpucalc,
//                        when GPUCALC names it)
//   index.html's result  the default scenario's result, drawn by the page in headless Chromium
//                        (web/prerender.mjs), so a cold reader sees a result first
//   gpu-fit.html         the whole site in one file, for file:// (classic script, wasm and data inlined, gzipped)
//   ../pkg/              the npm package (npm pack there)
//
//   node web/build.mjs OUT            (GPUCALC=build/cli/gpucalc for the schemas)
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {build} from 'esbuild';
import {prerender} from './prerender.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.resolve(process.argv[2] || path.join(root, 'build-wasm/web'));
const web = path.join(root, 'web');
const data = path.join(root, 'data');
const wasmFile = path.join(out, 'core/gpufit-core.wasm');
if (!existsSync(wasmFile)) throw new Error(`${wasmFile} is missing: build the wasm target first`);

const target = ['chrome100', 'firefox100', 'safari15.4'];
const write = (rel, text) => {
  const file = path.join(out, rel);
  mkdirSync(path.dirname(file), {recursive: true});
  writeFileSync(file, text);
};

// --- bundles -------------------------------------------------------------------------------------
for (const dir of ['js', 'widget']) rmSync(path.join(out, dir), {recursive: true, force: true});
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    'js/app': 'web/js/app.js',
    'js/embed': 'web/js/embed.js',
    'widget/gpu-fit': 'web/widget/gpu-fit.js',
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target,
  outdir: out,
  chunkNames: 'js/[name]-[hash]',
  external: ['node:*'],  // Node's file reading in calculator.js, never reached in a browser
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// The static imports an entry needs before it runs (preloaded from the HTML).
function staticDeps(entry) {
  const seen = new Set();
  const walk = (file) => {
    for (const imp of result.metafile.outputs[file].imports) {
      if (imp.kind !== 'import-statement' || seen.has(imp.path)) continue;
      seen.add(imp.path);
      walk(imp.path);
    }
  };
  walk(entry);
  return [...seen].map((p) => path.relative(out, path.resolve(root, p)));
}
const rel = (file) => path.relative(out, path.resolve(root, file));
const entryOut = Object.keys(result.metafile.outputs).find((f) => rel(f) === 'js/app.js');
const embedOut = Object.keys(result.metafile.outputs).find((f) => rel(f) === 'js/embed.js');

// --- pages -----------------------------------------------------------------------------------------
const preload = (files) => [
  // The module compiles while the scripts arrive (the page's first need is the wasm, then app.js).
  '<link rel="preload" href="core/gpufit-core.wasm" as="fetch" type="application/wasm" crossorigin>',
  ...files.map((f) => `<link rel="modulepreload" href="${f}">`),
].join('\n');
const index = readFileSync(path.join(web, 'index.html'), 'utf8').replace(
  '<script type="module" src="js/app.js"></script>',
  () => `${preload(staticDeps(entryOut))}\n<script type="module" src="js/app.js"></script>`);
write('index.html', index);
const embed = readFileSync(path.join(web, 'embed.html'), 'utf8').replace(
  '<script type="module" src="js/embed.js"></script>',
  `${staticDeps(embedOut).map((f) => `<link rel="modulepreload" href="${f}">`).join('\n')}\n<script type="module" src="js/embed.js"></script>`);
write('embed.html', embed);

const css = await build({entryPoints: [path.join(web, 'css/app.css')], bundle: true, minify: true, write: false, target,
  logLevel: 'warning'});
write('css/app.css', css.outputFiles[0].text);
const embedCss = await build({entryPoints: [path.join(web, 'css/embed.css')], bundle: true, minify: true, write: false,
  target, logLevel: 'warning'});
write('css/embed.css', embedCss.outputFiles[0].text);

// The classic script that runs before the first paint (theme; a link's scenario hides the
// pre-rendered default): minified as it is, not bundled (a module would run after the paint).
const firstPaint = await build({entryPoints: [path.join(web, 'js/first-paint.js')], minify: true, write: false, target,
  logLevel: 'warning'});
write('js/first-paint.js', firstPaint.outputFiles[0].text);

// --- data ------------------------------------------------------------------------------------------
mkdirSync(path.join(out, 'data'), {recursive: true});
copyFileSync(path.join(data, 'benchmarks.json'), path.join(out, 'data/benchmarks.json'));
// The full catalog in the shape calc.catalog('all') has (the module's copy has no sources).
// mig_profiles.json's and workloads.json's arrays share names with gpus.json's and models.json's:
// they take the names calc.catalog('all') gives them, instead of replacing those.
const RENAME = {weights: 'formats', kv_cache: 'kv_cache_formats'};
const FILE_RENAME = {'mig_profiles.json': {gpus: 'mig_profiles'},
  'workloads.json': {models: 'workload_models', engines: 'workload_engines', benchmarks: 'workload_benchmarks'}};
const catalog = {};
for (const file of readdirSync(data).filter((f) => f.endsWith('.json') && f !== 'benchmarks.json').sort()) {
  const doc = JSON.parse(readFileSync(path.join(data, file), 'utf8'));
  const rename = {...RENAME, ...FILE_RENAME[file]};
  for (const [key, value] of Object.entries(doc)) {
    if (Array.isArray(value) && key !== 'ggml_types') catalog[rename[key] || key] = value;
  }
}
write('data/catalog.json', JSON.stringify(catalog));

// --- schemas ---------------------------------------------------------------------------------------
const gpucalc = process.env.GPUCALC && path.resolve(root, process.env.GPUCALC);
if (gpucalc && existsSync(gpucalc)) {
  mkdirSync(path.join(out, 'schema'), {recursive: true});
  execFileSync(gpucalc, ['schema', '--out', path.join(out, 'schema')]);
  // The image, speech and embedding workloads' source-grouped cross-validated error, as gpucalc
  // validate states it: the module's copy of their measured rows has no sources to group by, and
  // refitting once per source would hold the page for seconds (web/js/workload.js fetches this).
  const validation = JSON.parse(execFileSync(gpucalc, ['validate', '--format', 'json', '--data', data], {maxBuffer: 1 << 28}).toString());
  write('data/workload-validation.json', JSON.stringify({workloads: validation.workloads.map(({points, ...summary}) => summary)}));
} else {
  console.warn('web/build.mjs: GPUCALC not set or not built: no JSON Schemas or TypeScript declarations in the site');
}

// --- the single-file page --------------------------------------------------------------------------
// A classic script (file:// blocks ES modules and fetch): the page's modules in one bundle, the
// lazy views included, with the wasm, the benchmarks and the catalog details inline, gzipped
// (web/js/inline-data.js unpacks them).
const single = await build({
  absWorkingDir: root,
  entryPoints: ['web/js/single-file.js'],
  bundle: true,
  format: 'iife',
  minify: true,
  external: ['node:*'],
  target,
  write: false,
  legalComments: 'none',
  logLevel: 'error',
});
const safe = (text) => text.replace(/<\/(script)/gi, '<\\/$1');
const pack = (bytes) => gzipSync(bytes, {level: 9}).toString('base64');
const minified = (text) => Buffer.from(JSON.stringify(JSON.parse(text)));
const dataScript = `globalThis.GPU_FIT_PACKED = {wasm: "${pack(readFileSync(wasmFile))}", ` +
  `benchmarks: "${pack(minified(readFileSync(path.join(data, 'benchmarks.json'), 'utf8')))}", ` +
  `catalog: "${pack(Buffer.from(JSON.stringify(catalog)))}"};`;
// The app waits for the document: a classic script in <head> runs before <body> exists.
const appScript = `document.addEventListener('DOMContentLoaded',()=>{${safe(single.outputFiles[0].text)}});`;
const style = css.outputFiles[0].text;
// Its own policy: exactly these inline scripts and this style, by hash; nothing else inline.
const sha = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const policy = `default-src 'none'; script-src ${sha(dataScript)} ${sha(appScript)} 'wasm-unsafe-eval'; ` +
  `style-src ${sha(style)}; img-src data:; connect-src https://huggingface.co https://*.huggingface.co https://*.hf.co; ` +
  `object-src 'none'; base-uri 'none'; form-action 'none'`;  // connect-src: a Hub id's headers
const page = readFileSync(path.join(web, 'index.html'), 'utf8')
  .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, () => `<meta http-equiv="Content-Security-Policy" content="${policy}">`)
  .replace('<link rel="stylesheet" href="css/app.css">', () => `<style>${style}</style>`)
  .replace('<script type="module" src="js/app.js"></script>', () => `<script>${dataScript}</script>\n<script>${appScript}</script>`)
  .replace('<meta name="gpu-fit-prerendered" content="">\n<script src="js/first-paint.js"></script>\n', '')
  .replace('<a href="gpu-fit.html" download>Download the single-file calculator</a>', 'This is the single-file calculator: it works offline.');
write('gpu-fit.html', page);

// --- the npm package -------------------------------------------------------------------------------
const pkg = path.join(out, '../pkg');
rmSync(pkg, {recursive: true, force: true});
const pkgBundle = await build({
  absWorkingDir: root, entryPoints: ['web/js/calculator.js'], bundle: true, format: 'esm', target: ['node20', ...target],
  external: ['node:*'],
  write: false, legalComments: 'none', logLevel: 'warning',
});
const pkgWrite = (p, text) => {
  mkdirSync(path.dirname(path.join(pkg, p)), {recursive: true});
  writeFileSync(path.join(pkg, p), text);
};
pkgWrite('js/calculator.js', pkgBundle.outputFiles[0].text);
mkdirSync(path.join(pkg, 'core'), {recursive: true});
copyFileSync(wasmFile, path.join(pkg, 'core/gpufit-core.wasm'));
mkdirSync(path.join(pkg, 'data'), {recursive: true});
copyFileSync(path.join(data, 'benchmarks.json'), path.join(pkg, 'data/benchmarks.json'));
const manifest = JSON.parse(readFileSync(path.join(root, 'wasm/package.json'), 'utf8'));
if (existsSync(path.join(out, 'schema/gpufit.d.ts'))) {
  pkgWrite('types/gpufit.d.ts', readFileSync(path.join(out, 'schema/gpufit.d.ts'), 'utf8'));
  mkdirSync(path.join(pkg, 'schema'), {recursive: true});
  for (const f of readdirSync(path.join(out, 'schema')).filter((x) => x.endsWith('.json'))) {
    copyFileSync(path.join(out, 'schema', f), path.join(pkg, 'schema', f));
  }
} else {
  delete manifest.types;
}
pkgWrite('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
pkgWrite('README.md', readFileSync(path.join(root, 'wasm/PACKAGE.md'), 'utf8'));

// --- the first screen, pre-rendered (last: it loads the site built above) ----------------------------
await prerender(out);

// --- the first paint's needs, inline (after the capture, which adds the bars' widths to the stylesheet) ---
// The stylesheet and the first-paint script move into index.html's <head>, allowed by their hashes in
// its policy (still no 'unsafe-inline'): the first paint waits for the HTML alone, not for two more
// requests (a round trip on a network; a classic script also waits for the stylesheet before it runs).
{
  const file = path.join(out, 'index.html');
  const style = readFileSync(path.join(out, 'css/app.css'), 'utf8');
  const script = readFileSync(path.join(out, 'js/first-paint.js'), 'utf8');
  // Raw text elements: a closing tag would end them early, and "<!--" can put a script's parsing in
  // its escaped states.
  if (/<\/(style|script)|<!--/i.test(style + script)) throw new Error('web/build.mjs: an inlined file holds HTML markup');
  let html = readFileSync(file, 'utf8');
  const csp = /(<meta http-equiv="Content-Security-Policy" content="[^"]*script-src 'self')([^"]*style-src 'self')/;
  for (const [from, what] of [[csp, 'policy'], ['<link rel="stylesheet" href="css/app.css">', 'stylesheet'],
    ['<script src="js/first-paint.js"></script>', 'first-paint script']]) {
    if (!(typeof from === 'string' ? html.includes(from) : from.test(html))) throw new Error(`web/build.mjs: index.html has no ${what} to inline`);
  }
  html = html.replace(csp, (_, script_, style_) => `${script_} ${sha(script)}${style_} ${sha(style)}`)
    .replace('<link rel="stylesheet" href="css/app.css">', () => `<style>${style}</style>`)
    .replace('<script src="js/first-paint.js"></script>', () => `<script>${script}</script>`);
  writeFileSync(file, html);
  rmSync(path.join(out, 'css/app.css'));
  rmSync(path.join(out, 'js/first-paint.js'));
}
