// Cold first load, as a reader meets it: each load in a new browser context (no HTTP cache, no
// compiled-code cache), the median of many loads, side by side with a reference calculator in the
// same run (the same machine, the same load).
//
//   node bench/first_load.mjs [--loads 15] [--site build-wasm/web] [--reference DIR] [--baseline DIR]
//
// Measured per load:
//   - the page: time from navigation to its first result on screen. The default page carries its
//     first result pre-rendered (web/prerender.mjs): the first contentful paint, where the
//     document was parsed whole by then and the result not hidden (Element Timing misses it: the
//     live page replaces the element before the entry is delivered). Beside it, the moment the
//     live page has drawn its own first answer (document.body.dataset.ready, set by
//     web/js/app.js; readyMs), when it answers input: "interactive";
//   - the page opened from a permalink to another scenario (the pre-rendered default is hidden):
//     its first result is the live one (readyMs);
//   - a blog page with one <gpu-fit> widget (the README's snippet): the first paint that holds the
//     snippet's text (the widget's answer in words, from the post's HTML alone: parsed by then,
//     domInteractive, and the text a dated answer), "widget": text written when the snippet was
//     made, where the reference computes at load; and its first gpu-fit-result event, when the
//     live widget has drawn the core's own answer, "widget_live";
//   - the reference (gpu_poor's published build, its docs/ folder, if --reference or GPU_POOR_DIR
//     names it): time until its model data has arrived (the Resource Timing responseEnd of
//     all_configs.json; its code parses it right after), served under /gpu_poor/ as it expects.
//   - a baseline (--baseline: another build of the site, an earlier commit's build-wasm/web copied
//     aside): the same page measured the same way, interleaved, for a before/after ratio that the
//     machine's drift between runs does not blur.
// Bytes: every file fetched before that moment, raw and gzipped (gzip -6, as a static host serves),
// per file, and which of them the first paint waited for (Resource Timing's renderBlockingStatus;
// the document always): on loopback the preloaded module can arrive before the first paint without
// the paint needing it. Requests to other hosts (the reference's analytics) are refused, as on this machine.
// Writes test-results/first_load.json and prints a summary with the ratios.
import {execFileSync} from 'node:child_process';
import {chromium} from 'playwright-core';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {startServer} from '../web/serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const loads = Number(opt('loads', '15'));
const site = path.resolve(opt('site', path.join(root, 'build-wasm/web')));
const reference = opt('reference', process.env.GPU_POOR_DIR || '');
const baseline = opt('baseline', '');

// A blog post with the README's widget snippet: a paragraph, then the widget, whose element
// carries the embed builder's text (the widget's answer in words, dated).
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const snippetMatch = /<!-- widget-snippet -->\s*```html\n([\s\S]*?)```\s*<!-- \/widget-snippet -->/.exec(readme);
if (!snippetMatch) throw new Error('README.md has no widget snippet between <!-- widget-snippet --> markers');
const snippet = snippetMatch[1].replaceAll('https://gpu-fit.example/', '/');
const BLOG = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog post</title>
<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'">
<link rel="icon" href="data:,"></head><body><article><h1>Which GPU for Llama 3.1 70B?</h1>
<p>Some text a reader reads first.</p>
${snippet}</article></body></html>`;

// The reference's build under /gpu_poor/, as its index.html expects.
function serveReference(dir) {
  const types = {'.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
    '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon'};
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname).replace(/^\/gpu_poor\/?/, '');
    if (!rel) rel = 'index.html';
    const file = path.normalize(path.join(dir, rel));
    if (!file.startsWith(path.resolve(dir)) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, {'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache'});
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Files fetched by `untilMs`, with their bytes as served from `dir` (`strip` maps a URL path to a file).
async function bytesBefore(page, untilMs, dir, strip = (p) => p) {
  const entries = await page.evaluate((t) => [{name: location.href, end: 0, blocking: true},
    ...performance.getEntriesByType('resource').map((e) => ({name: e.name, end: e.responseEnd, blocking: e.renderBlockingStatus === 'blocking'}))]
    .filter((e) => e.end <= t), untilMs);
  const files = [];
  for (const e of entries) {
    const u = new URL(e.name);
    if (u.hostname !== '127.0.0.1') continue;
    let rel = strip(decodeURIComponent(u.pathname));
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, rel);
    if (!existsSync(file)) continue;  // a page served from memory (the blog post): counted below
    const body = readFileSync(file);
    files.push({path: rel, raw: body.length, gz: gzipSync(body, {level: 6}).length, blocking: e.blocking});
  }
  return files;
}

async function main() {
  mkdirSync(path.join(root, 'test-results'), {recursive: true});
  const ours = await startServer(site, 0, {routes: {'/blog.html': {body: BLOG}}});
  const oursBase = `http://127.0.0.1:${ours.address().port}`;
  const ref = reference && existsSync(path.join(reference, 'index.html')) ? await serveReference(reference) : null;
  if (reference && !ref) console.warn(`no reference build at ${reference} (its docs/ folder with index.html)`);
  const base = baseline ? await startServer(path.resolve(baseline), 0, {}) : null;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // One new context per load: nothing cached from the load before.
  async function cold(url, until, measure) {
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort());  // no other host
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(until, null, {timeout: 60000});
    const out = await measure(page);
    await context.close();
    return out;
  }
  const runs = {page: [], page_interactive: [], permalink: [], widget: [], widget_live: [], reference: [], baseline: [],
    baseline_interactive: [], baseline_permalink: []};
  // The first paint, if the pre-rendered result was in it: parsed by then (domInteractive) and not
  // hidden by a link to another scenario (web/js/first-paint.js).
  const paintedFirstResult = (page) => page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    const parsed = performance.getEntriesByType('navigation')[0]?.domInteractive;
    const shown = document.documentElement.dataset.prerenderedShown === 'true';
    return shown && fcp !== undefined && parsed <= fcp ? fcp : null;
  });
  const pageRun = (origin, dir, fragment = '') => cold(`${origin}/index.html${fragment}`, () => document.body.dataset.ready === 'true', async (page) => {
    const readyMs = await page.evaluate(() => Number(document.body.dataset.readyMs));
    const painted = fragment ? null : await paintedFirstResult(page);
    const ms = painted ?? readyMs;
    return {ms, readyMs, files: await bytesBefore(page, ms, dir), readyFiles: await bytesBefore(page, readyMs, dir)};
  });
  // A permalink to another scenario than the default (the README's 70B example).
  const permalink = `#${execFileSync(path.join(root, 'build/cli/gpucalc'), ['permalink', path.join(root, 'examples/llama-3.1-70b-int4.json')])
    .toString().trim().replace(/^.*#/, '')}`;
  for (let i = 0; i < loads; i++) {
    // Interleaved, so a slow moment of the machine falls on all of them alike.
    const run = await pageRun(oursBase, site);
    runs.page.push(run);
    runs.page_interactive.push({ms: run.readyMs, files: run.readyFiles});
    runs.permalink.push(await pageRun(oursBase, site, permalink));
    if (base) {
      const origin = `http://127.0.0.1:${base.address().port}`;
      const b = await pageRun(origin, path.resolve(baseline));
      runs.baseline.push(b);
      runs.baseline_interactive.push({ms: b.readyMs, files: b.readyFiles});
      runs.baseline_permalink.push(await pageRun(origin, path.resolve(baseline), permalink));
    }
    const blog = await cold(`${oursBase}/blog.html`, () => document.querySelector('gpu-fit')?.dataset.state === 'ready', async (page) => {
      const live = await page.evaluate(() => performance.getEntriesByType('mark').find((m) => m.name === 'gpu-fit-first-result')?.startTime ?? performance.now());
      // The snippet's text is the post's own HTML: on screen at the first paint if the post was
      // parsed by then, and if it carries figures (a dated answer, not a plain label).
      const text = await page.evaluate(() => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
        const parsed = performance.getEntriesByType('navigation')[0]?.domInteractive;
        const dated = /computed \d{4}-\d{2}-\d{2}/.test(document.querySelector('gpu-fit')?.textContent || '');
        return dated && fcp !== undefined && parsed <= fcp ? fcp : null;
      });
      const post = {path: '/blog.html', raw: Buffer.byteLength(BLOG), gz: gzipSync(BLOG, {level: 6}).length, blocking: true};
      return {text: text === null ? null : {ms: text, files: [post, ...await bytesBefore(page, text, site)]},
        live: {ms: live, files: [post, ...await bytesBefore(page, live, site)]}};
    });
    // A load whose first paint came before the text was parsed (or a README snippet without a
    // dated answer) has no such moment: counted as missing, not replaced by another moment.
    if (blog.text) runs.widget.push(blog.text);
    else console.warn('widget: the snippet\'s text was not on the first paint of this load');
    runs.widget_live.push(blog.live);
    if (ref) {
      runs.reference.push(await cold(`http://127.0.0.1:${ref.address().port}/gpu_poor/`, () =>
        performance.getEntriesByType('resource').some((e) => e.name.endsWith('/all_configs.json') && e.responseEnd > 0), async (page) => {
        const ms = await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.endsWith('/all_configs.json')).responseEnd);
        return {ms, files: await bytesBefore(page, ms, reference, (p) => p.replace(/^\/gpu_poor\/?/, '/'))};
      }));
    }
  }
  await browser.close();
  ours.close();
  ref?.close();
  base?.close();

  const summary = {};
  for (const [name, list] of Object.entries(runs)) {
    if (!list.length) continue;
    const last = list[list.length - 1].files;
    summary[name] = {
      loads: list.length,
      median_ms: median(list.map((r) => r.ms)),
      all_ms: list.map((r) => Math.round(r.ms)),
      files: last,
      raw_bytes: last.reduce((s, f) => s + f.raw, 0),
      gzip_bytes: last.reduce((s, f) => s + f.gz, 0),
      // What the first paint waited for (the document, render-blocking stylesheets and scripts):
      // the rest was fetched by then but not needed for it (preloads, module scripts, the wasm).
      blocking_gzip_bytes: last.filter((f) => f.blocking).reduce((s, f) => s + f.gz, 0),
    };
  }
  writeFileSync(path.join(root, 'test-results/first_load.json'), `${JSON.stringify(summary, null, 2)}\n`);
  for (const [name, s] of Object.entries(summary)) {
    console.log(`${name}: median ${s.median_ms.toFixed(0)} ms over ${s.loads} cold loads; ${s.files.length} files, ` +
      `${s.raw_bytes} B raw, ${s.gzip_bytes} B gzipped fetched by the first result, ${s.blocking_gzip_bytes} B gzipped render-blocking`);
    for (const f of s.files) console.log(`  ${f.path} ${f.raw} B, ${f.gz} B gz${f.blocking ? ', render-blocking' : ''}`);
  }
  if (summary.baseline) {
    const r = (a, b) => (summary[a].median_ms / summary[b].median_ms).toFixed(3);
    console.log(`page against the baseline build: first result ${r('page', 'baseline')}, interactive ` +
      `${r('page_interactive', 'baseline_interactive')}, from a permalink ${r('permalink', 'baseline_permalink')} (time); ` +
      `${(summary.page_interactive.gzip_bytes / summary.baseline_interactive.gzip_bytes).toFixed(3)} (gzipped bytes)`);
  }
  if (summary.reference) {
    console.log(`ratios to the reference's data arrival: page ${(summary.page.median_ms / summary.reference.median_ms).toFixed(2)} ` +
      `(interactive ${(summary.page_interactive.median_ms / summary.reference.median_ms).toFixed(2)}, from a permalink ` +
      `${(summary.permalink.median_ms / summary.reference.median_ms).toFixed(2)}), ` +
      `widget ${summary.widget ? (summary.widget.median_ms / summary.reference.median_ms).toFixed(2) : 'n/a'} (live ` +
      `${(summary.widget_live.median_ms / summary.reference.median_ms).toFixed(2)}); bytes: page ` +
      `${(summary.page.gzip_bytes / summary.reference.gzip_bytes).toFixed(2)}, widget ${summary.widget ? (summary.widget.gzip_bytes / summary.reference.gzip_bytes).toFixed(2) : 'n/a'} ` +
      `(live ${(summary.widget_live.gzip_bytes / summary.reference.gzip_bytes).toFixed(2)})`);
  }
}

await main();
