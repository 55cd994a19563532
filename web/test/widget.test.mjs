// The <gpu-fit> widget as a blog would use it: the README's snippet in a post with two widgets,
// host CSS that tries to restyle them and a strict CSP (script-src 'self' 'wasm-unsafe-eval',
// no 'unsafe-eval', no 'unsafe-inline'); attributes update the result and fire the event; the
// iframe page renders; the embed builder's copy buttons put the right snippet on the clipboard;
// a hostile attribute does not run; the calculator loads lazily and falls back to the text.
import {before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {snippetText} from '../js/snippet-text.js';
import {browserSession, cli, fetchedBytes, nativeEvaluate, root, sameNumbers, today, watch} from './helpers.mjs';

// style-src 'self': a blog that allows only its own stylesheets (no inline <style>, no style="").
const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";
const routes = {};
const session = browserSession({routes});

// The snippet exactly as the README gives it, pointed at this server.
function readmeSnippet(siteBase) {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const m = /<!-- widget-snippet -->\s*```html\n([\s\S]*?)```\s*<!-- \/widget-snippet -->/.exec(readme);
  assert.ok(m, 'README.md has the widget snippet between its markers');
  return m[1].replaceAll('https://gpu-fit.example/', siteBase);
}

function page(title, body, {extraHead = ''} = {}) {
  return {
    headers: {'Content-Security-Policy': STRICT_CSP},
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${STRICT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${title}</title>
<link rel="stylesheet" href="/host.css">${extraHead}</head>
<body><article><h1>${title}</h1><p>Which GPU should serve a 70B model? Here is the live answer.</p>
${body}
</article></body></html>`,
  };
}

// The test pages, once the server's address is known (browserSession's hook runs first).
before(() => {
  const snippet = readmeSnippet(session.base);
  // Host CSS that tries hard to restyle the widget.
  routes['/host.css'] = {type: 'text/css', body: `gpu-fit, gpu-fit * { color: rgb(255, 0, 0) !important; font-family: "Comic Sans MS" !important; }
.verdict, table, .stat { display: none !important; border: 9px solid lime !important; }
body { background: #fafafa; }
.spacer { height: 4000px; }`};
  routes['/blog.html'] = page('Two widgets', `${snippet}
<p>And the fit of an 8B model on one L4:</p>
<gpu-fit id="second" model="llama-3.1-8b" gpus="l4" view="fit" batch="8">Llama 3.1 8B on L4 — GPU Fit calculator</gpu-fit>`);
  routes['/lazy.html'] = page('Lazy', `<div class="spacer"></div>
<script type="module" src="/widget/gpu-fit.js"></script>
<gpu-fit id="far" model="llama-3.1-8b" gpus="l4">far below</gpu-fit>`);
  routes['/hostile.html'] = page('Hostile', `<script type="module" src="/widget/gpu-fit.js"></script>
<gpu-fit id="bad" model='&lt;img src=x onerror="window.__pwned=1"&gt;' gpus="javascript:alert(1)" view="fit">hostile</gpu-fit>`);
  routes['/twice.html'] = page('Twice', `<script type="module" src="/widget/gpu-fit.js"></script>
<script type="module" src="/widget/gpu-fit.js?again"></script>
<gpu-fit id="one" model="llama-3.1-8b" gpus="l4">one</gpu-fit>`);
  routes['/nowasm.html'] = page('No wasm', `<script type="module" src="/widget/gpu-fit.js"></script>
<gpu-fit id="fallback" model="llama-3.1-8b" gpus="l4">Llama 3.1 8B on L4 — GPU Fit calculator</gpu-fit>`);
  routes['/editable.html'] = page('Editable', `<script type="module" src="/widget/gpu-fit.js"></script>
<gpu-fit id="edit" model="llama-3.1-8b" gpus="l4" editable>editable</gpu-fit>
<gpu-fit id="edit-load" model="llama-3.1-8b" gpus="l4" view="load" editable>editable load</gpu-fit>`);
});

async function waitForResult(p, id) {
  return p.waitForFunction((i) => document.getElementById(i)?.dataset.state === 'ready', id, {timeout: 30000});
}

test('a blog post with two widgets, host CSS and a strict CSP: both render the core\'s answer', async () => {
  const p = await session.browser.newPage();
  const problems = watch(p);
  const fetched = [];
  p.on('response', (r) => fetched.push(new URL(r.url()).pathname));
  await p.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.__results = [];
    document.addEventListener('gpu-fit-result', (e) => window.__results.push({id: e.target.id, at: performance.now(), detail: e.detail}));
  });
  await p.goto(`${session.base}blog.html`);
  const readmeWidget = p.locator("gpu-fit").first();
  await readmeWidget.evaluate((el) => { el.id = el.id || "first"; });
  await waitForResult(p, 'first');
  await waitForResult(p, 'second');
  const results = await p.evaluate(() => window.__results);
  // The compare widget's answer is the core's ranking of the two GPUs; the fit widget's the result.
  const compare = results.find((r) => r.detail.rows).detail;  // the README widget (view="compare")
  const nativeRank = JSON.parse(execFileSync(cli, ['rank', '-', '--gpus', 'l4,a100-80gb-sxm', '--format', 'json'], {
    input: JSON.stringify({model: 'llama-3.1-70b', weights: 'int4', gpu: 'l4', context_tokens: 8192, as_of_date: today()}),
  }).toString());
  sameNumbers(compare, nativeRank);
  // The README's snippet carries that answer in words (the embed builder's text, dated): a reader
  // of the post sees it before the widget loads. Stale figures there fail here.
  const readmeText = readmeSnippet(session.base).match(/<gpu-fit[^>]*>\s*([^]*?)\s*<\/gpu-fit>/)[1];
  const dated = readmeText.match(/computed (\d{4}-\d{2}-\d{2})\.$/);
  assert.ok(dated, readmeText);
  const answered = snippetText('compare', compare, {model: 'llama-3.1-70b', gpus: 'l4,a100-80gb-sxm'},
    {date: dated[1], modelName: nativeEvaluate({model: 'llama-3.1-70b', gpu: 'l4'}).model.name});
  assert.equal(readmeText, answered, `README.md's widget snippet text is not what the widget answers today (the catalog or the ` +
    `text's format changed): replace it with the site's Embed view's text, or with:\n${answered.replace(dated[1], today())}`);
  const fit = results.find((r) => r.id === 'second').detail;
  sameNumbers(fit, nativeEvaluate({model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8, as_of_date: today()}), {skip: ['measured']});
  // The host's CSS did not get in: the shadow content keeps its own colour, font and display.
  const style = await p.locator('#second').evaluate((el) => {
    const v = el.shadowRoot.querySelector('.verdict');
    const cs = getComputedStyle(v);
    return {display: cs.display, color: cs.color, font: cs.fontFamily};
  });
  assert.notEqual(style.display, 'none');
  assert.notEqual(style.color, 'rgb(255, 0, 0)');
  assert.ok(!style.font.includes('Comic'), style.font);
  assert.deepEqual(await p.evaluate(() => window.__violations), []);
  assert.deepEqual(problems, []);
  // The module was fetched once, by the preload the first widget started beside the calculator's
  // scripts (an unused preload would have warned in the console, in `problems`).
  assert.equal(fetched.filter((f) => f.endsWith('/gpufit-core.wasm')).length, 1);
  assert.equal(await p.evaluate(() => document.querySelectorAll('link[rel="preload"][href$="/core/gpufit-core.wasm"]').length), 1);
  // Figures for the closing note: time to the first results, bytes fetched (gzipped).
  // Each widget's first answer (a fit widget answers again once the measured results arrive).
  const firstAt = (pick) => Math.min(...results.filter(pick).map((r) => r.at));
  const last = Math.max(firstAt((r) => r.detail.rows), firstAt((r) => !r.detail.rows));
  // What was fetched before the first answer (the measured benchmarks come after it).
  const first = Math.min(...results.map((r) => r.at));
  // The blog page and its CSS are the host's, not the widget's.
  const {files, raw, gz} = await fetchedBytes(p, first, {skip: (f) => f.endsWith('.html') || f === '/host.css'});
  // Two widgets, one module: the wasm is fetched once.
  assert.equal(fetched.filter((f) => f.endsWith('.wasm')).length, 1, fetched.join(' '));
  console.log(`# widgets: first result ${first.toFixed(0)} ms, both ${last.toFixed(0)} ms after navigation; ` +
    `before the first: ${files.length} files, ${raw} bytes, ${gz} gzipped (${files.join(' ')})`);
  await p.close();
});

test('changing an attribute updates the result and fires gpu-fit-result', async () => {
  const p = await session.browser.newPage();
  await p.goto(`${session.base}blog.html`);
  await waitForResult(p, 'second');
  const detail = await p.evaluate(() => new Promise((resolve) => {
    const el = document.getElementById('second');
    el.addEventListener('gpu-fit-result', (e) => resolve(e.detail), {once: true});
    el.setAttribute('gpus', 'h100-sxm');
  }));
  assert.equal(detail.scenario.gpu, 'h100-sxm');
  assert.match(await p.locator('#second').evaluate((el) => el.shadowRoot.querySelector('.verdict').textContent), /H100/);
  // The power view shows the draw with the power model's held-out error, not the decode one's.
  const power = await p.evaluate(() => new Promise((resolve) => {
    const el = document.getElementById('second');
    el.addEventListener('gpu-fit-result', (e) => resolve(e.detail.power), {once: true});
    el.setAttribute('view', 'power');
  }));
  await p.waitForFunction(() => /board power/.test(document.getElementById('second').shadowRoot.querySelector('.band')?.textContent || ''));
  const band = await p.locator('#second').evaluate((el) => el.shadowRoot.querySelector('.band').textContent);
  // The figure as the widget prints it (three significant digits: 9.3 reads "9.30").
  const shown = band.match(/±([\d.]+)% typical for board power/);
  assert.ok(shown && Math.abs(Number(shown[1]) - power.typical_error_pct) < 0.01, band);
  await p.close();
});

test('the iframe embed renders the same widget from its URL', async () => {
  const p = await session.browser.newPage();
  const problems = watch(p);
  await p.goto(`${session.base}embed.html?model=llama-3.1-70b&weights=int4&gpus=l4&view=cost&gpu-count=2`);
  await waitForResult(p, 'widget');
  const text = await p.locator('#widget').evaluate((el) => el.shadowRoot.textContent);
  assert.match(text, /\$ per 1M tokens/);
  assert.match(text, /2× NVIDIA L4/);
  assert.deepEqual(problems, []);
  await p.close();
});

test('the embed builder copies the right snippets', async () => {
  await session.browser.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: session.base.replace(/\/$/, '')});
  const p = await session.browser.newPage();
  await p.goto(`${session.base}#model=llama-3.1-70b&weights=int4&gpu=l4`);
  await p.waitForFunction(() => document.body.dataset.ready === 'true');
  await p.click('#nav-embed');
  await p.waitForSelector('#copy-script');
  await p.click('#copy-script');
  const copied = await p.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await p.inputValue('#snippet-script'));
  assert.ok(copied.includes('<gpu-fit') && copied.includes('model="llama-3.1-70b"') && copied.includes('widget/gpu-fit.js'));
  await p.click('#copy-iframe');
  const iframe = await p.evaluate(() => navigator.clipboard.readText());
  assert.equal(iframe, await p.inputValue('#snippet-iframe'));
  assert.ok(iframe.startsWith('<iframe src="') && iframe.includes('embed.html?'));
  // The live preview renders.
  await p.waitForFunction(() => document.querySelector('#embed-builder gpu-fit')?.dataset.state === 'ready');
  await p.close();
});

test('a hostile attribute is shown as text and never runs', async () => {
  const p = await session.browser.newPage();
  let dialog = false;
  p.on('dialog', async (d) => { dialog = true; await d.dismiss(); });
  await p.goto(`${session.base}hostile.html`);
  await p.waitForFunction(() => document.getElementById('bad')?.dataset.state === 'invalid', null, {timeout: 30000});
  const text = await p.locator('#bad').evaluate((el) => el.shadowRoot.textContent);
  assert.match(text, /unknown GPU "javascript:alert\(1\)"|unknown model/);
  assert.equal(await p.evaluate(() => window.__pwned), undefined);
  assert.equal(await p.locator('#bad').evaluate((el) => el.shadowRoot.querySelectorAll('img').length), 0);
  assert.equal(dialog, false);
  await p.close();
});

test('an editable widget keeps its inputs on bad input, says what is wrong, and recovers', async () => {
  const p = await session.browser.newPage();
  const problems = watch(p);
  await p.goto(`${session.base}editable.html`);
  await p.waitForFunction(() => document.getElementById('edit')?.dataset.state === 'ready', null, {timeout: 30000});
  // The editor's labels are the schema rows' (scenario_schema.cpp), not the widget's own words.
  const labels = await p.locator('#edit').evaluate((el) => [...el.shadowRoot.querySelectorAll('.editor label > span')].map((s) => s.textContent));
  assert.deepEqual(labels, ['Model', 'Weight format', 'GPU', 'Context per sequence', 'Batch (concurrent sequences)']);
  await p.waitForFunction(() => document.getElementById('edit-load')?.dataset.state === 'ready', null, {timeout: 30000});
  const loadLabels = await p.locator('#edit-load').evaluate((el) => [...el.shadowRoot.querySelectorAll('.editor label > span')].map((s) => s.textContent));
  assert.deepEqual(loadLabels, ['Model', 'Weight format', 'GPU', 'Context per sequence', 'Concurrent users', 'p99 TTFT (ms)', 'p99 TPOT (ms)']);
  const batch = p.locator('#edit').locator('input[aria-label="batch"]');
  await batch.fill('abc');
  await batch.dispatchEvent('change');
  await p.waitForFunction(() => document.getElementById('edit').dataset.state === 'invalid');
  assert.match(await p.locator('#edit').evaluate((el) => el.shadowRoot.querySelector('.error').textContent), /^batch: /);
  assert.equal(await p.locator('#edit').locator('input[aria-label="batch"]').inputValue(), 'abc');
  await p.locator('#edit').locator('input[aria-label="batch"]').fill('4');
  await p.locator('#edit').locator('input[aria-label="batch"]').dispatchEvent('change');
  await p.waitForFunction(() => document.getElementById('edit').dataset.state === 'ready');
  assert.deepEqual(problems, []);
  await p.close();
});

test('the calculator loads only when the widget nears the viewport', async () => {
  const p = await session.browser.newPage();
  const wasm = [];
  p.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  await p.goto(`${session.base}lazy.html`);
  await p.waitForTimeout(800);
  assert.equal(wasm.length, 0, 'no wasm fetched while the widget is far below');
  await p.locator('#far').scrollIntoViewIfNeeded();
  await waitForResult(p, 'far');
  assert.equal(wasm.length, 1);
  await p.close();
});

test('the define module loaded twice is harmless', async () => {
  const p = await session.browser.newPage();
  const problems = watch(p);
  await p.goto(`${session.base}twice.html`);
  await waitForResult(p, 'one');
  assert.deepEqual(problems, []);
  await p.close();
});

test('if the WebAssembly cannot load, the text inside the element shows, with a message', async () => {
  const p = await session.browser.newPage();
  await p.route('**/*.wasm', (route) => route.abort());
  await p.goto(`${session.base}nowasm.html`);
  await p.waitForFunction(() => document.getElementById('fallback')?.dataset.state === 'error', null, {timeout: 30000});
  const visible = await p.locator('#fallback').evaluate((el) => {
    const slot = el.shadowRoot.querySelector('.fallback slot');
    return slot && slot.assignedNodes().map((n) => n.textContent).join('').trim();
  });
  assert.equal(visible, 'Llama 3.1 8B on L4 — GPU Fit calculator');
  assert.match(await p.locator('#fallback').evaluate((el) => el.shadowRoot.textContent), /could not load/);
  await p.close();
});
