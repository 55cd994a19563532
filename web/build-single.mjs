// Builds gpu-fit.html: the whole site in one file that works opened straight from disk
// (file://), where ES modules and fetch() are blocked. A classic script: the core compiled with
// -sSINGLE_FILE=1 (wasm inlined), then our modules, each wrapped in a function that returns its
// exports, in dependency order; styles and the measured benchmarks inlined.
//   node web/build-single.mjs <built site dir> <source web dir> <data dir>
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';

const [outDir, webDir, dataDir] = process.argv.slice(2);
const ENTRY = 'js/app.js';

// Our modules only, in our own style: one import per line, named exports.
function load(rel, seen = new Map(), order = []) {
  if (seen.has(rel)) return order;
  seen.set(rel, true);
  const source = rel === 'gpufit.js'
    ? readFileSync(path.join(outDir, rel), 'utf8')
    : readFileSync(path.join(webDir, rel), 'utf8');
  const imports = [];
  const body = source.split('\n').map((line) => {
    const m = /^import\s+(\{[^}]*\}|\w+)\s+from\s+'([^']+)';\s*$/.exec(line);
    if (!m) return line;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[2]));
    if (target === 'gpufit-core.mjs') return `const createGpuFitModule = globalThis.createGpuFitModule;`;
    imports.push(target);
    const names = m[1].startsWith('{') ? m[1].replace(/\s+as\s+/g, ': ') : `{default: ${m[1]}}`;
    return `const ${names} = __modules[${JSON.stringify(target)}];`;
  });
  for (const dep of imports) load(dep, seen, order);
  const exported = new Set();
  const code = body.join('\n')
    .replace(/^export (async function|function|class|const|let) (\w+)/gm, (_, kind, name) => {
      exported.add(name);
      return `${kind} ${name}`;
    })
    .replace(/^export \{([^}]*)\};?\s*$/gm, (_, names) => {
      names.split(',').map((n) => n.trim()).filter(Boolean).forEach((n) => exported.add(n));
      return '';
    })
    // No import.meta in a classic script: each module's URL as if it sat at its place in the
    // site beside the page (so the widget's '../index.html' is the site's, not one level up).
    .replace(/import\.meta\.url/g, `new URL(${JSON.stringify(rel)}, document.baseURI).href`)
    // The widget's lazy import of the calculator: already here.
    .replace(/import\('\.\.\/gpufit\.js'\)/g, "Promise.resolve(__modules['gpufit.js'])");
  order.push(`__modules[${JSON.stringify(rel)}] = (() => {\n${code}\nreturn {${[...exported].join(', ')}};\n})();`);
  return order;
}

const modules = load(ENTRY);
const html = readFileSync(path.join(webDir, 'index.html'), 'utf8');
const css = readFileSync(path.join(webDir, 'css/app.css'), 'utf8');
const core = readFileSync(path.join(outDir, 'gpufit-core-single.js'), 'utf8');
const benchmarks = readFileSync(path.join(dataDir, 'benchmarks.json'), 'utf8');
// Keep '</script' out of inlined code; inlined JSON gets no '<' at all.
const safe = (text) => text.replace(/<\/(script)/gi, '<\\/$1');
const json = JSON.stringify(JSON.parse(benchmarks)).replace(/</g, '\\u003c');
const script = `${safe(core)}\nglobalThis.createGpuFitModule = createGpuFitModule;\n` +
  `globalThis.GPU_FIT_BENCHMARKS = ${json};\n` +
  `(() => {\nconst __modules = {};\n${safe(modules.join('\n'))}\n})();`;
const style = `\n${css}`;

// The served site's policy, with the inline script and style allowed by their hashes instead
// of 'self' (a file:// page has no origin to trust): still no 'unsafe-inline', no 'unsafe-eval'.
const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const csp = `default-src 'none'; script-src ${sha256(`\n${script}\n`)} 'wasm-unsafe-eval'; style-src ${sha256(style)}; ` +
  // connect-src data: the inlined wasm is read from its data: URI.
  "img-src data:; connect-src data:; object-src 'none'; base-uri 'none'; form-action 'none'";

const out = html
  .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
  .replace('<link rel="stylesheet" href="css/app.css">', () => `<style>${style}</style>`)
  .replace('<script type="module" src="js/app.js"></script>', '')
  .replace('<a href="gpu-fit.html" download>Download the single-file calculator</a>.', 'This is the single-file calculator.')
  .replace('</body>', () => `<script>\n${script}\n</script>\n</body>`);  // functions: no $& patterns
writeFileSync(path.join(outDir, 'gpu-fit.html'), out);
console.log(`wrote ${path.join(outDir, 'gpu-fit.html')} (${out.length} bytes)`);
