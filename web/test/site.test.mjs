// The calculator page in headless Chromium: it loads with no console error under its CSP, the
// results follow the inputs and equal gpucalc's, a permalink round-trips, bad input shows its
// message beside the field and keeps what was typed, the single-file page works from file://,
// and screenshots of the main view at desktop and phone width are written.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {num} from '../js/format.js';
import {artifacts, browserSession, fetchedBytes, median, nativeEvaluate, openPage, pageResult, pageScenario, sameNumbers, siteDir, today, watch} from './helpers.mjs';

const session = browserSession();

const open = (hash = '', options) => openPage(session, hash, options);

// The result the page shows was computed with today's date; so is native's.
async function assertMatchesNative(page) {
  const scenario = await pageScenario(page);
  const native = nativeEvaluate({...scenario, as_of_date: today()});
  sameNumbers(await pageResult(page), native, {skip: ['measured']});
}

test('loads with no console error, under a CSP without unsafe-inline or unsafe-eval', async () => {
  const {page, problems} = await open();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  // Inline: only the stylesheet and the first-paint script, each allowed by its hash.
  assert.match(csp, /script-src 'self' 'sha256-[^']+' 'wasm-unsafe-eval'; style-src 'self' 'sha256-[^']+';/);
  assert.ok(!csp.includes('unsafe-inline') && !/'unsafe-eval'/.test(csp), csp);
  assert.match(await page.textContent('#result .verdict'), /Fits|Does not fit/);
  // Let the measured benchmarks arrive (fetched after the first answer).
  await page.waitForFunction(() => document.body.dataset.benchmarks === 'loaded');
  await page.waitForTimeout(300);
  assert.deepEqual(problems, []);
  await assertMatchesNative(page);
  await page.close();
});

test('measured results appear beside the estimate; one without an estimate says why, not -100%', async () => {
  const {page, problems} = await open('model=llama-3.1-8b&gpu=h100-sxm&weights=bf16&engine=vllm');
  await page.waitForFunction(() => document.body.dataset.benchmarks === 'loaded');
  await page.waitForSelector('#result .measured li');
  const items = await page.$$eval('#result .measured li', (lis) => lis.map((li) => li.textContent));
  assert.ok(items.some((t) => /no estimate \(prompt or output length not stated/.test(t)), items.join('\n'));
  // Board power is modelled from the work (core/src/power.cpp): measured watts sit beside an estimate.
  assert.ok(items.some((t) => /power at batch \d+: measured [\d,.]+ W, estimate [\d,.]+ \([+-]?[\d.]+%\)/.test(t)), items.join('\n'));
  assert.ok(items.every((t) => !/-100(\.0)?%/.test(t)), items.join('\n'));
  // The modelled draw carries its held-out error beside the decode and serving bands.
  assert.match(await page.textContent('#result .band'), /±[\d.]+% typical for board power \(median error on sources left out of the fit\)/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('time from navigation to the first result (median of 5 loads)', async () => {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const page = await session.browser.newPage();
    await page.goto(session.base);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    times.push(await page.evaluate(() => performance.now()));
    await page.close();
  }
  const ms = median(times);
  console.log(`# first result ${ms.toFixed(0)} ms after navigation (median of ${times.map((t) => t.toFixed(0)).join(', ')})`);
  // What the page fetched before its first result (the measured benchmarks come after it).
  const page = await session.browser.newPage();
  await page.goto(session.base);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const {files, raw, gz} = await fetchedBytes(page, await page.evaluate(() => Number(document.body.dataset.readyMs)));
  assert.ok(files.includes('/core/gpufit-core.wasm') && !files.includes('/data/benchmarks.json'), files.join(' '));
  console.log(`# first load: ${files.length} files, ${raw} bytes, ${gz} gzipped (${files.join(' ')})`);
  await page.close();
  assert.ok(ms < 10000);
});

test('the default result is pre-rendered: shown before the module runs, equal to the live one, hidden under a link to another scenario', async () => {
  const text = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
  // The module and the scripts refused: what the HTML shows by itself.
  const bare = async (hash) => {
    const page = await session.browser.newPage();
    const problems = watch(page);
    await page.route(/\/js\/|\.wasm$/, (r) => r.abort());
    await page.goto(`${session.base}${hash}`);
    return {page, problems};
  };
  const {page: pre, problems} = await bare('');
  assert.ok(await pre.isVisible('#result[data-prerendered] .verdict'));
  // The first paint needs the HTML alone: the stylesheet and the first-paint script are inline.
  assert.equal(await pre.$$eval('link[rel="stylesheet"], script[src*="first-paint"]', (els) => els.length), 0);
  assert.equal(await pre.$$eval('head > style', (els) => els.length), 1);
  const preFigures = await text(pre, '#result .figures .figure');
  assert.ok(preFigures.length >= 6, preFigures.join(' | '));
  // The memory bar keeps its widths without a style attribute (style-src 'self').
  const widths = await pre.$$eval('#result .membar .seg', (segs) => segs.map((s) => s.getBoundingClientRect().width));
  assert.ok(widths.length >= 3 && widths.every((w) => w > 0), widths.join(' '));
  assert.equal(await pre.$$eval('#result [style]', (els) => els.length), 0);
  const preVerdict = (await text(pre, '#result .verdict'))[0];
  await pre.close();
  // Nothing but the refused scripts' requests is reported (no CSP violation from the markup).
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  // The live page draws the same first answer (before its measured rows arrive), and takes over.
  const live = await session.browser.newPage();
  await live.route(/\/data\/benchmarks\.json$/, (r) => r.abort());
  await live.goto(session.base);
  await live.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.equal((await text(live, '#result .verdict'))[0], preVerdict);
  assert.deepEqual(await text(live, '#result .figures .figure'), preFigures);
  assert.equal(await live.$$eval('[data-prerendered]', (els) => els.length), 0);
  // A reload of the default page carries the default's own permalink: still shown.
  await live.waitForFunction(() => location.hash.length > 1);
  const own = new URL(live.url()).hash;
  await live.close();
  const {page: reload} = await bare(own);
  assert.ok(await reload.isVisible('#result .verdict'));
  await reload.close();
  // A link to another scenario: the default's numbers are never shown; the live page draws the linked one.
  const {page: linked} = await bare('#model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2');
  assert.ok(!(await linked.isVisible('#result .verdict')));
  assert.match(await linked.evaluate(() => getComputedStyle(document.querySelector('#result'), '::before').content), /Loading/);
  await linked.close();
  // Custom entries kept in this browser may replace the default's GPU or model: hidden as well.
  const {page: custom} = await bare('');
  await custom.evaluate(() => localStorage.setItem('gpu-fit.custom.v1', '{"gpus": [], "models": []}'));
  await custom.reload();
  const customHidden = !(await custom.isVisible('#result .verdict'));
  await custom.evaluate(() => localStorage.removeItem('gpu-fit.custom.v1'));
  await custom.close();
  assert.ok(customHidden);
  const {page: linkedLive} = await open('model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2');
  assert.match((await text(linkedLive, '#result .verdict'))[0], /70B/);
  await linkedLive.close();
});

test('changing inputs changes the results, which equal gpucalc evaluate', async () => {
  const {page, problems} = await open();
  const before = await pageResult(page);
  await page.selectOption('#field-gpu', 'h100-sxm');
  await page.fill('#field-batch_size', '32');
  await page.selectOption('#field-weights', 'fp8');
  await page.waitForFunction(() => globalThis.gpuFitPage.result().scenario.gpu === 'h100-sxm' &&
    globalThis.gpuFitPage.result().scenario.batch_size === 32 && globalThis.gpuFitPage.result().scenario.weights === 'fp8');
  const after = await pageResult(page);
  assert.notEqual(after.decode.tokens_per_s_total, before.decode.tokens_per_s_total);
  assert.match(await page.textContent('#result .verdict'), /H100/);
  await assertMatchesNative(page);
  // The ranking follows, and the charts once they are scrolled to (their module and sweeps wait
  // until then).
  assert.ok((await page.$$('table.ranking tbody tr')).length >= 22);
  await page.locator('#charts').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('#charts svg.chart').length === 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a permalink round-trips', async () => {
  const {page} = await open('model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2&context_tokens=8192');
  const r = await pageResult(page);
  assert.equal(r.scenario.gpu_count, 2);
  assert.equal(r.scenario.weights, 'int4');
  assert.equal(r.scenario.context_tokens, 8192);
  assert.equal(await page.inputValue('#field-context_tokens'), '8192');
  // Change something; the URL follows; a new page from that URL shows the same.
  await page.fill('#field-prompt_tokens', '2000');
  await page.waitForFunction(() => location.hash.includes('prompt_tokens=2000'));
  const url = page.url();
  const again = await session.browser.newPage();
  await again.goto(url);
  await again.waitForFunction(() => document.body.dataset.ready === 'true');
  sameNumbers(await pageResult(again), await pageResult(page), {skip: ['measured']});
  assert.equal(await again.inputValue('#field-prompt_tokens'), '2000');
  await again.close();
  await page.close();
});

test('bad input shows its message beside the field and keeps what was typed', async () => {
  const {page} = await open();
  const verdict = await page.textContent('#result .verdict');
  await page.fill('#field-batch_size', '12abc');
  await page.waitForFunction(() => document.getElementById('field-batch_size-error').textContent !== '');
  assert.equal(await page.textContent('#field-batch_size-error'), 'must be a positive integer, got "12abc"');
  assert.equal(await page.inputValue('#field-batch_size'), '12abc');
  assert.equal(await page.getAttribute('#field-batch_size', 'aria-invalid'), 'true');
  // The last good result stays on screen, marked out of date.
  assert.equal(await page.textContent('#result .verdict'), verdict);
  assert.ok(await page.$eval('#results', (el) => el.classList.contains('stale')));
  // The link keeps what was typed: a reload shows it again, with its message.
  await page.waitForFunction(() => location.hash.includes('batch_size=12abc'));
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.equal(await page.inputValue('#field-batch_size'), '12abc');
  assert.equal(await page.textContent('#field-batch_size-error'), 'must be a positive integer, got "12abc"');
  assert.match(await page.textContent('#result'), /Nothing computed yet/);
  // A model shape with a negative KV-head count: the message names it.
  await page.click('button[data-mode="shape"]');
  for (const [k, v] of Object.entries({params: '7e9', layers: '32', hidden_size: '4096', attention_heads: '32', kv_heads: '-8', vocab_size: '32000'})) {
    await page.fill(`#field-model-${k}`, v);
  }
  await page.waitForFunction(() => document.getElementById('model-error').textContent.includes('kv_heads'));
  assert.equal(await page.textContent('#model-error'), 'kv_heads: must be a positive integer, got -8');
  assert.equal(await page.inputValue('#field-model-kv_heads'), '-8');
  // Fixing it recomputes.
  await page.fill('#field-batch_size', '4');
  await page.fill('#field-model-kv_heads', '8');
  await page.waitForFunction(() => document.getElementById('model-error').textContent === '' && !document.getElementById('results').classList.contains('stale'));
  assert.equal((await pageResult(page)).model.kv_heads, 8);
  await page.close();
});

test('a pasted config.json is accepted', async () => {
  const {page} = await open();
  await page.click('button[data-mode="config"]');
  const cfg = JSON.parse(readFileSync(path.join(siteDir, '../../tests/hf_configs/qwen2.5-7b.json'), 'utf8')).hf_config;
  await page.fill('#field-model-config', JSON.stringify(cfg, null, 2));
  await page.waitForFunction(() => globalThis.gpuFitPage.result().model.params > 7.5e9 && globalThis.gpuFitPage.result().model.params < 7.7e9);
  // The link follows a moment after the inputs settle.
  await page.waitForFunction(() => location.hash.includes('model=%7B'));
  await page.close();
});

test('compare, catalog and embed views render', async () => {
  const {page, problems} = await open();
  await page.click('#nav-compare');
  await page.waitForSelector('table.compare');
  // The first column is the L4 (one fits): its decode speed is the core's for that scenario.
  const cells = await page.$$eval('table.compare tr', (rows) => [...[...rows]
    .find((r) => r.querySelector('th')?.textContent === 'Decode per sequence').querySelectorAll('td')].map((td) => td.textContent));
  const native = nativeEvaluate({...(await pageScenario(page)), gpu: 'l4', gpu_count: 1, as_of_date: today()});
  assert.equal(cells[0].replace(' (best)', ''), `${num(native.decode.tokens_per_s_per_sequence)} tokens/s`);
  await page.click('#nav-catalog');
  await page.waitForSelector('table.catalog');
  await page.click('#catalog-tab-engines');
  await page.waitForFunction(() => document.querySelector('#validation table'), null, {timeout: 20000});
  await page.click('#nav-embed');
  await page.waitForSelector('#snippet-script');
  // The snippet's text is its widget's own answer, dated: what a blog's reader sees before the
  // widget loads, and where scripts are refused. Its figures are the page's.
  await page.waitForFunction(() => /tokens\/s per sequence/.test(document.querySelector('#snippet-script').value));
  const snippet = await page.inputValue('#snippet-script');
  const shown = await pageResult(page);
  assert.match(snippet, new RegExp(`on NVIDIA L4: fits, [\\d.]+ GB of [\\d.]+ GB per GPU; ${num(shown.decode.tokens_per_s_per_sequence).replace('.', '\\.')} ` +
    `tokens/s per sequence at batch \\d+, \\$[\\d.]+ per 1M tokens\\. GPU Fit calculator, computed \\d{4}-\\d{2}-\\d{2}\\.`), snippet);
  // Another GPU typed for the widget: that GPU's answer, as its widget computes it.
  await page.fill('#embed-gpus', 'h100-sxm');
  await page.press('#embed-gpus', 'Enter');
  await page.waitForFunction(() => /gpus="h100-sxm"[^]*on NVIDIA H100 SXM5 80GB: fits/.test(document.querySelector('#snippet-script').value));
  const h100 = nativeEvaluate({...(await pageScenario(page)), gpu: 'h100-sxm', gpu_count: 1, as_of_date: today()});
  assert.ok((await page.inputValue('#snippet-script')).includes(`${num(h100.decode.tokens_per_s_per_sequence)} tokens/s per sequence`));
  // The comparison view: each GPU's row of the widget's table, and the core's statement.
  await page.fill('#embed-gpus', 'l4,h100-sxm');
  await page.press('#embed-gpus', 'Enter');
  await page.selectOption('#embed-view', 'compare');
  await page.waitForFunction(() => /view="compare"[^]*NVIDIA L4: [\d.,]+ tokens\/s, \$[\d.,]+ per million tokens; [^]*NVIDIA H100 SXM5 80GB: /.test(document.querySelector('#snippet-script').value));
  // The fit view's answer is not carried over into the comparison's snippet.
  assert.doesNotMatch(await page.inputValue('#snippet-script'), /per sequence/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('custom GPUs are kept in the browser, exported and validated like scenario objects', async () => {
  const {page} = await open();
  await page.click('#nav-catalog');
  await page.click('#catalog-tab-mine');
  await page.fill('#custom-json', '{"gpus": [{"id": "lab-gpu", "name": "Lab GPU", "memory_gb": 48, "memory_bandwidth_gbs": 1200, "fp16_tflops": 300, "tdp_w": 350}]}');
  await page.click('#custom-add');
  await page.waitForSelector('text=Saved 1 entry');
  // A bad one is refused with its field; the text stays.
  await page.fill('#custom-json', '{"gpus": [{"id": "broken", "memory_gb": 48}]}');
  await page.click('#custom-add');
  await page.waitForFunction(() => document.getElementById('custom-error').textContent.includes('memory_bandwidth_gbs'));
  assert.ok((await page.inputValue('#custom-json')).includes('broken'));
  // After a reload the saved GPU is still offered.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.selectOption('#field-gpu', 'lab-gpu');
  await page.waitForFunction(() => globalThis.gpuFitPage.result().scenario.gpu === 'lab-gpu');
  await page.waitForFunction(() => location.hash.includes('gpu=lab-gpu'));
  // Corrupted storage is reported, kept aside, and the page still works.
  await page.evaluate(() => localStorage.setItem('gpu-fit.custom.v1', '{not json'));
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.match(await page.textContent('#notices'), /damaged/);
  // The link still names the GPU that is gone: the message says so beside the GPU field.
  assert.match(await page.textContent('#field-gpu-error'), /unknown GPU "lab-gpu"/);
  assert.ok(await page.evaluate(() => localStorage.getItem('gpu-fit.custom.v1.set-aside').includes('{not json')));
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

// Moves the batch slider `moves` times; each time waits for the recompute it causes and takes its
// time as the page measured it (result, ranking, charts: performance.now() around recompute()),
// and the time from the input event to the frame after the one that drew it (the page
// recomputes in the next animation frame, so this includes up to a frame of waiting).
async function recomputeTimesOnSlider(page, moves) {
  const times = [], painted = [];
  for (let i = 0; i < moves; i++) {
    const t = await page.evaluate((v) => new Promise((resolve) => {
      const t0 = performance.now();
      const done = new MutationObserver(() => {
        done.disconnect();
        const ms = Number(document.body.dataset.recomputeMs);
        requestAnimationFrame(() => resolve({ms, painted: performance.now() - t0}));
      });
      done.observe(document.body, {attributes: true, attributeFilter: ['data-recompute-ms']});
      const slider = document.querySelector('input[aria-label="Batch (concurrent sequences) slider"]');
      slider.value = String(v);
      slider.dispatchEvent(new Event('input', {bubbles: true}));
    }), 100 + i * 30);
    times.push(t.ms);
    painted.push(t.painted);
  }
  times.painted = painted;
  return times;
}

test('the ranking recomputes within a frame when a slider moves (median over 20 moves)', async () => {
  const {page} = await open();
  const times = await recomputeTimesOnSlider(page, 20);
  console.log(`# recompute (result + ranking of every GPU + charts) after a slider move: median ${median(times).toFixed(1)} ms; ` +
    `input to the next frame after it: median ${median(times.painted).toFixed(1)} ms`);
  assert.ok(median(times) < 200);
  await page.close();
});

test('the full ranking (every GPU x 1, 2, 4, 8 x every format): first rows drawn, all on request, recompute time reported', async () => {
  const {page, problems} = await open('model=llama-3.1-8b&gpu=l4&batch_size=8');
  await page.selectOption('.rank-controls label:nth-of-type(1) select', 'all');
  await page.selectOption('.rank-controls label:nth-of-type(2) select', 'all');
  await page.waitForFunction(() => /of \d{4,} rows/.test(document.querySelector('p.more')?.textContent || ''));
  const total = Number((await page.textContent('p.more')).match(/of (\d+) rows/)[1]);
  assert.ok(total >= 29 * 4 * 10, `${total} rows`);
  assert.equal(await page.$$eval('table.ranking tbody tr', (t) => t.length), 60);
  const times = await recomputeTimesOnSlider(page, 10);
  console.log(`# recompute with the full ranking (${total} rows): median ${median(times).toFixed(1)} ms; ` +
    `input to the next frame after it: median ${median(times.painted).toFixed(1)} ms`);
  await page.click('p.more button');
  assert.equal(await page.$$eval('table.ranking tbody tr', (t) => t.length), total);
  assert.deepEqual(problems, []);
  await page.close();
});

test('dark theme and phone width; screenshots written', async () => {
  const {page, problems} = await open();
  const desktop = path.join(artifacts, 'desktop.png');
  await page.screenshot({path: desktop});
  await page.click('#theme');  // auto -> light
  await page.click('#theme');  // light -> dark
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.screenshot({path: path.join(artifacts, 'desktop-dark.png')});
  await page.click('#theme');
  await page.setViewportSize({width: 390, height: 844});
  const phone = path.join(artifacts, 'phone.png');
  await page.screenshot({path: phone});
  // Nothing wider than the phone.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  console.log(`# screenshots: ${desktop} ${phone}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('every input has a label', async () => {
  const {page} = await open();
  // Query and check in one task: $$eval queries first and evaluates later, and a re-render in
  // between (the ranking redraws when the measured results arrive) hands it detached controls,
  // whose labels are empty.
  await page.waitForFunction(() => document.body.dataset.benchmarks === 'loaded');
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')].filter((el) =>
    el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.id || el.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
  await page.close();
});

test('the single-file page works from file://', async () => {
  const page = await session.browser.newPage();
  const problems = watch(page);
  await page.goto(pathToFileURL(path.join(siteDir, 'gpu-fit.html')).href);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, {timeout: 30000});
  assert.match(await page.textContent('#result .verdict'), /Fits|Does not fit/);
  await assertMatchesNative(page);
  // Its own policy: the inline script and style by hash, nothing inline beyond them.
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /script-src ('sha256-[^']+' )+'wasm-unsafe-eval'/);
  assert.ok(!/unsafe-inline|'unsafe-eval'/.test(csp), csp);
  // The measured results are there without a fetch (file:// allows none).
  await page.waitForFunction(() => document.body.dataset.benchmarks === 'loaded');
  // So are the catalog's details: every GPU's sources (the module carries the numbers only).
  await page.click('#nav-catalog');
  await page.waitForSelector('table.catalog');
  assert.match(await page.textContent('table.catalog'), /nvidia\.com/);
  assert.deepEqual(problems, []);
  await page.close();
  // Its data travel gzipped (web/js/inline-data.js): inline as they were, the file was 2.6 MB.
  const bytes = statSync(path.join(siteDir, 'gpu-fit.html')).size;
  assert.ok(bytes < 800_000, `gpu-fit.html is ${bytes} bytes`);
});
