// The Load view in headless Chromium: for the scenario of a measured load sweep (NVIDIA NIM,
// Llama 3.3 70B FP8 on 2× H100) the curve, the knee, the SLO lines and the GPUs for N users equal
// what gpucalc gives; the measured points are drawn beside the curve with their source; the
// inputs round-trip through the permalink; bad input is named beside its field and kept; the
// widget's view="load" and the embed builder agree; the view's chunk is loaded only when opened.
// Writes build-wasm/screenshots/load-view.png and prints the time per load point in the page.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {browserSession, cli, fetchedBytes, median, nativeEvaluate, openPage, root, sameNumbers, today, watch} from './helpers.mjs';

// NIM's table read with the FP8 KV cache its own figures require (data/benchmarks.json's notes).
const NIM = {model: 'llama-3.3-70b', gpu: 'h100-sxm', gpu_count: 2, weights: 'fp8', kv_cache: 'fp8', engine: 'tensorrt-llm',
  prompt_tokens: 5000, output_tokens: 500};
const LOAD = {load: {concurrency: 64}, slo: {ttft_p99_ms: 2000, tpot_p99_ms: 50}};
const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";

const routes = {
  '/load-widget.html': {
    headers: {'Content-Security-Policy': STRICT_CSP},
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Load widget</title><link rel="icon" href="data:,">
<script type="module" src="/widget/gpu-fit.js"></script></head><body>
<gpu-fit id="load" view="load" model="llama-3.3-70b" gpus="h100-sxm" gpu-count="2" weights="fp8" engine="tensorrt-llm"
  prompt="5000" output="500" concurrency="64" ttft-p99-ms="2000" tpot-p99-ms="50">Llama 3.3 70B under load</gpu-fit>
<gpu-fit id="bad" view="load" model="llama-3.3-70b" gpus="h100-sxm" gpu-count="2" weights="fp8" concurrency="lots">bad</gpu-fit>
</body></html>`,
  },
};
const session = browserSession({routes});

const hashOf = (scenario) => new URLSearchParams(Object.entries(scenario)
  .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])).toString();

const open = (hash) => openPage(session, hash);

// The Load view has drawn (at least `renders` times).
const drawn = (page, renders = 1) => page.waitForFunction((n) => {
  const el = document.getElementById('load');
  return el && el.dataset.state === 'ready' && Number(el.dataset.renders) >= n;
}, renders, {timeout: 30000});

function nativeSweep(scenario, field, values, format = 'json') {
  const out = execFileSync(cli, ['sweep', '-', field, values.join(','), '--format', format],
    {input: JSON.stringify({...scenario, as_of_date: today()})}).toString();
  return format === 'json' ? JSON.parse(out) : out;
}

// gpucalc sweep --format table marks the knee in its note column.
function nativeKnee(table) {
  const row = table.split('\n').find((l) => /\bknee\b/.test(l));
  return row ? Number(row.trim().split(/\s+/)[0].replace(/,/g, '')) : null;
}

test('Load view for a measured scenario: curve, knee, SLO and GPUs for N users equal gpucalc; measured points beside it', async () => {
  const {page, problems} = await open(hashOf({...NIM, ...LOAD}));
  // A link with a load opens the view; the measured sweep arrives with the benchmarks.
  await page.waitForSelector('#view-load:not([hidden])');
  await page.waitForSelector('#load .chart circle.dot', {timeout: 30000});
  await drawn(page);
  const scenario = await page.evaluate(() => globalThis.gpuFitPage.scenario());
  assert.deepEqual(scenario.load, LOAD.load);
  assert.deepEqual(scenario.slo, LOAD.slo);
  const {sweep, curve, knee} = await page.evaluate(() => globalThis.gpuFitPage.load());
  assert.equal(sweep.field, 'load.concurrency');
  // The measured loads (1, 5, 25, 50, 100, 150, 200, 250 users) are points of the model's curve.
  for (const x of [1, 5, 25, 50, 100, 150, 200, 250]) assert.ok(sweep.values.includes(x), `${x} in ${sweep.values}`);
  sameNumbers(curve, nativeSweep(scenario, sweep.field, sweep.values), {rel: 1e-9, skip: ['measured']});
  assert.equal(knee, nativeKnee(nativeSweep(scenario, sweep.field, sweep.values, 'table')));
  assert.equal(await page.getAttribute('#load', 'data-knee'), String(knee));
  assert.ok(await page.locator('#load .chart .mark-label', {hasText: `knee at ${knee}`}).count() >= 1);
  // The SLO lines.
  const labels = await page.$$eval('#load .chart .mark-label', (els) => els.map((e) => e.textContent));
  assert.ok(labels.includes('SLO p99 TTFT 2,000 ms') && labels.includes('SLO p99 TPOT 50 ms'), labels.join(' | '));
  // The GPUs the 64 users need within the SLO: the core's fleet.
  const native = nativeEvaluate({...scenario, as_of_date: today()});
  assert.ok(native.fleet.gpus_for_slo > 0);
  assert.equal(await page.getAttribute('#load-fleet', 'data-gpus'), String(native.fleet.gpus_for_slo));
  assert.match(await page.textContent('#load-fleet'), new RegExp(`${native.fleet.gpus_for_slo} GPUs \\(${native.fleet.replicas_for_slo} replicas of 2\\) serve 64 concurrent users within the SLO`));
  // The measured sweep: eight throughput dots, the source named, its numbers in the table.
  assert.equal(await page.locator('#load figure').first().locator('circle.dot').count(), 8);
  assert.match(await page.textContent('#load-measured-note'), /docs\.nvidia\.com.*Same setup as this scenario/s);
  const row50 = await page.$$eval('#load-table tr[data-x="50"] td', (tds) => tds.map((t) => t.textContent));
  assert.ok(row50.includes('814'), row50.join(' | '));  // measured at 50 users: 814 tok/s
  // The table's points are the curve's.
  const first = await page.$$eval('#load-table tbody tr:first-child td', (tds) => tds.map((t) => t.textContent));
  const {num} = await import('../js/format.js');
  assert.equal(first[0], num(curve[0].serving_load.output_tokens_per_s));
  await page.waitForTimeout(300);
  assert.deepEqual(problems, []);
  mkdirSync(path.join(root, 'build-wasm/screenshots'), {recursive: true});
  await page.screenshot({path: path.join(root, 'build-wasm/screenshots/load-view.png'), fullPage: true});
  await page.close();
});

test('time per load point in the page (the curve redrawn as the users input changes)', async () => {
  const {page} = await open(hashOf({...NIM, ...LOAD}));
  await drawn(page);
  const perPoint = [];
  let renders = Number(await page.getAttribute('#load', 'data-renders'));
  for (const users of ['48', '96', '32', '128', '64', '80', '40', '64']) {
    await page.fill('#load-target', users);
    renders += 1;
    await drawn(page, renders);
    const {ms, points} = await page.evaluate(() => ({ms: Number(document.getElementById('load').dataset.sweepMs),
      points: Number(document.getElementById('load').dataset.points)}));
    perPoint.push({ms, points});
  }
  const m = median(perPoint.map((p) => p.ms / p.points));
  console.log(`# load view: ${perPoint.map((p) => `${p.points} points ${p.ms.toFixed(1)} ms`).join(', ')}; median ${m.toFixed(2)} ms per point`);
  assert.ok(m < 50, `${m} ms per point`);
  await page.close();
});

test('the Load view\'s inputs go into the permalink and come back; bad input is named and kept', async () => {
  const {page, problems} = await open(hashOf(NIM));
  // No load in the link: the calculator shows; the Load view opens from the nav.
  assert.equal(await page.isHidden('#view-load'), true);
  await page.click('#nav-load');
  await drawn(page);
  await page.selectOption('#load-kind', 'request_rate_per_s');
  await page.fill('#load-target', '1.5');
  await page.fill('#load-ttft_p99_ms', '3000');
  await page.fill('#load-tpot_p99_ms', '');
  await page.fill('#load-length_cv', '0.5');
  await page.waitForFunction(() => location.hash.includes('request_rate_per_s') && location.hash.includes('3000') && location.hash.includes('length_cv'));
  await drawn(page);
  const scenario = await page.evaluate(() => globalThis.gpuFitPage.scenario());
  assert.deepEqual(scenario.load, {request_rate_per_s: 1.5, length_cv: 0.5});
  assert.deepEqual(scenario.slo, {ttft_p99_ms: 3000});
  const hash = await page.evaluate(() => location.hash.slice(1));
  const {sweep} = await page.evaluate(() => globalThis.gpuFitPage.load());
  assert.equal(sweep.field, 'load.request_rate_per_s');
  // Rate, not users: the fleet is sized for 1.5 requests/s.
  const native = nativeEvaluate({...scenario, as_of_date: today()});
  assert.equal(await page.getAttribute('#load-fleet', 'data-gpus'), String(native.fleet.gpus_for_slo));
  // Bad input: the message beside the field names it; the typed text stays; nothing else moves.
  await page.fill('#load-target', '-3');
  await page.waitForFunction(() => document.getElementById('load-target-error').textContent !== '');
  assert.match(await page.textContent('#load-target-error'), /request_rate_per_s|must be|positive|greater/i);
  assert.equal(await page.inputValue('#load-target'), '-3');
  assert.equal(await page.getAttribute('#load-target', 'aria-invalid'), 'true');
  await page.fill('#load-ttft_p99_ms', 'soon');
  await page.fill('#load-target', '1.5');
  await page.waitForFunction(() => document.getElementById('load-ttft_p99_ms-error').textContent !== '');
  assert.match(await page.textContent('#load-ttft_p99_ms-error'), /number|ttft/i);
  assert.equal(await page.inputValue('#load-ttft_p99_ms'), 'soon');
  assert.equal(await page.textContent('#load-target-error'), '');
  await page.close();
  // The link opens the Load view with the same inputs and the same scenario.
  const again = await open(hash);
  await drawn(again.page);
  assert.equal(await again.page.inputValue('#load-kind'), 'request_rate_per_s');
  assert.equal(await again.page.inputValue('#load-target'), '1.5');
  assert.equal(await again.page.inputValue('#load-ttft_p99_ms'), '3000');
  assert.equal(await again.page.inputValue('#load-tpot_p99_ms'), '');
  assert.equal(await again.page.inputValue('#load-length_cv'), '0.5');
  assert.deepEqual(await again.page.evaluate(() => globalThis.gpuFitPage.scenario()), scenario);
  assert.deepEqual([...problems, ...again.problems], []);
  await again.page.close();
});

test('the Load view is a chunk of its own, fetched when opened; first-load bytes are unchanged by it', async () => {
  const page = await session.browser.newPage();
  await page.goto(`${session.base}#${hashOf(NIM)}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.waitForFunction(() => document.body.dataset.benchmarks === 'loaded');
  const before = await fetchedBytes(page, await page.evaluate(() => performance.now()));
  const first = await fetchedBytes(page, await page.evaluate(() => Number(document.body.dataset.readyMs)));
  await page.click('#nav-load');
  await drawn(page);
  const afterOpen = await fetchedBytes(page, await page.evaluate(() => performance.now()));
  const added = afterOpen.files.filter((f) => !before.files.includes(f));
  assert.ok(added.length >= 1 && added.every((f) => f.startsWith('/js/')), added.join(' '));
  const {gzipSync} = await import('node:zlib');
  const {readFileSync} = await import('node:fs');
  const {siteDir} = await import('./helpers.mjs');
  const gz = added.reduce((n, f) => n + gzipSync(readFileSync(path.join(siteDir, f))).length, 0);
  const raw = added.reduce((n, f) => n + readFileSync(path.join(siteDir, f)).length, 0);
  console.log(`# load view chunk(s): ${added.join(' ')}: ${raw} bytes, ${gz} gzipped; first load: ${first.files.length} files, ${first.raw} bytes, ${first.gz} gzipped`);
  await page.close();
});

test('widget view="load": GPUs for the SLO and the knee equal gpucalc\'s; a bad attribute is named', async () => {
  const page = await session.browser.newPage();
  const problems = watch(page);
  await page.goto(`${session.base}load-widget.html`);
  await page.waitForFunction(() => document.getElementById('load')?.dataset.state === 'ready', null, {timeout: 30000});
  const {kv_cache: _kv, ...attributes} = NIM;  // the widget's attributes name no KV cache
  const scenario = {...attributes, ...LOAD};
  const native = nativeEvaluate({...scenario, as_of_date: today()});
  const info = await page.locator('#load').evaluate((el) => ({
    gpus: el.shadowRoot.querySelector('.verdict').dataset.gpus,
    verdict: el.shadowRoot.querySelector('.verdict').textContent,
    knee: el.shadowRoot.querySelector('tr.knee th')?.textContent,
    rows: el.shadowRoot.querySelectorAll('tbody tr').length,
  }));
  assert.equal(info.gpus, String(native.fleet.gpus_for_slo));
  assert.match(info.verdict, /GPUs serve 64 users within the SLO/);
  const values = [1, 2, 4, 8, 16, 32, 64, 128];
  assert.equal(info.rows, values.length);
  assert.equal(info.knee, `${nativeKnee(nativeSweep(scenario, 'load.concurrency', values, 'table'))} (knee)`);
  await page.waitForFunction(() => document.getElementById('bad')?.dataset.state === 'invalid');
  assert.match(await page.locator('#bad').evaluate((el) => el.shadowRoot.querySelector('.error').textContent), /^concurrency: /);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the embed builder makes a view="load" snippet with the Load view\'s inputs', async () => {
  const {page} = await open(hashOf({...NIM, ...LOAD}));
  await drawn(page);
  await page.click('#nav-embed');
  await page.waitForSelector('#embed-view');
  await page.selectOption('#embed-view', 'load');
  const snippet = await page.inputValue('#snippet-script');
  for (const a of ['view="load"', 'concurrency="64"', 'ttft-p99-ms="2000"', 'tpot-p99-ms="50"', 'model="llama-3.3-70b"']) {
    assert.ok(snippet.includes(a), `${a} in ${snippet}`);
  }
  await page.waitForFunction(() => document.querySelector('#embed-builder gpu-fit')?.dataset.state === 'ready', null, {timeout: 30000});
  const gpus = await page.locator('#embed-builder gpu-fit').evaluate((el) => el.shadowRoot.querySelector('.verdict').dataset.gpus);
  assert.equal(gpus, String(nativeEvaluate({...NIM, ...LOAD, as_of_date: today()}).fleet.gpus_for_slo));
  await page.close();
});

test('a measured sweep taken with another KV cache or length spread says so, and its setup takes them', async () => {
  const {kv_cache: _kv, ...fp16} = NIM;
  const {page, problems} = await open(hashOf({...fp16, ...LOAD}));
  await page.waitForSelector('#load .chart circle.dot', {timeout: 30000});
  await drawn(page);
  // NIM's rows state an FP8 KV cache; this scenario keeps the default.
  assert.match(await page.textContent('#load-measured-note'), /docs\.nvidia\.com.*KV cache fp8.*unlike this scenario/s);
  let renders = Number(await page.getAttribute('#load', 'data-renders'));
  await page.click('#load-use-setup');
  await page.waitForFunction(() => globalThis.gpuFitPage.result().scenario.kv_cache === 'fp8');
  await page.waitForFunction(() => /Same setup as this scenario/.test(document.getElementById('load-measured-note').textContent));
  // A ShareGPT sweep states its lengths' spread (1.0): the setup takes it into the load.
  const value = await page.$$eval('#load-measured option', (os) => os.find((o) => o.textContent.includes('a100-40gb-sxm')).value);
  renders = Number(await page.getAttribute('#load', 'data-renders'));
  await page.selectOption('#load-measured', value);
  await drawn(page, renders + 1);
  assert.match(await page.textContent('#load-measured-note'), /Llama-3\.3-70B|llama-3\.3-70b.*length spread 1/s);
  await page.click('#load-use-setup');
  await page.waitForFunction(() => globalThis.gpuFitPage.result().scenario.gpu === 'a100-40gb-sxm');
  await page.waitForFunction(() => /Same setup as this scenario/.test(document.getElementById('load-measured-note').textContent));
  const scenario = await page.evaluate(() => globalThis.gpuFitPage.scenario());
  assert.equal(scenario.load.length_cv, 1);
  assert.ok(scenario.load.request_rate_per_s > 0);
  assert.equal(await page.inputValue('#load-length_cv'), '1');
  await page.waitForTimeout(300);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a measured sweep picked under Measured is drawn beside another scenario, and its setup can be taken', async () => {
  const {page, problems} = await open(hashOf({model: 'llama-3.1-8b', gpu: 'l4', ...LOAD}));
  await drawn(page);
  await page.waitForSelector('#load-measured option:nth-child(3)', {state: 'attached'});
  // Nothing measured on an 8B model on an L4: the note says how to pick one.
  assert.match(await page.textContent('#load-measured-note'), /pick one under Measured/);
  const value = await page.$$eval('#load-measured option', (os) => os.find((o) => o.textContent.includes('rtx-4090')).value);
  const renders = Number(await page.getAttribute('#load', 'data-renders'));
  await page.selectOption('#load-measured', value);
  await drawn(page, renders + 1);
  // Drawn beside this scenario's curve, with what differs named.
  assert.equal(await page.locator('#load figure').first().locator('circle.dot').count(), 5);
  assert.match(await page.textContent('#load-measured-note'), /mushfiqrahman\.dev.*model mistral-7b-v0\.3.*1× rtx-4090.*256 prompt → 128 output tokens/s);
  assert.equal(await page.isVisible('#load-use-setup'), true);
  await page.click('#load-use-setup');
  await page.waitForFunction(() => globalThis.gpuFitPage.result().scenario.gpu === 'rtx-4090');
  await drawn(page, renders + 2);
  const scenario = await page.evaluate(() => globalThis.gpuFitPage.scenario());
  assert.equal(scenario.model, 'mistral-7b-v0.3');
  assert.equal(scenario.prompt_tokens, 256);
  assert.equal(scenario.output_tokens, 128);
  assert.deepEqual(scenario.load, LOAD.load);
  await page.waitForFunction(() => /Same setup as this scenario/.test(document.getElementById('load-measured-note').textContent));
  assert.equal(await page.isVisible('#load-use-setup'), false);
  // The curve is gpucalc's for the measured loads too.
  const {sweep, curve} = await page.evaluate(() => globalThis.gpuFitPage.load());
  for (const x of [4, 8, 16, 32, 48]) assert.ok(sweep.values.includes(x), `${x} in ${sweep.values}`);
  sameNumbers(curve, nativeSweep(scenario, sweep.field, sweep.values), {rel: 1e-9, skip: ['measured']});
  // Every input of the view has a label; the charts' numbers are a table away.
  // Queried and checked in one task (site.test.mjs says why).
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('#load input, #load select')].filter((el) => !el.labels || !el.labels.length).map((el) => el.id));
  assert.deepEqual(unlabelled, []);
  assert.ok(await page.locator('#load figure details table').count() >= 2);
  // Requests per second: the measured sweep varies users, so the note says to switch.
  await page.selectOption('#load-kind', 'request_rate_per_s');
  await page.waitForFunction(() => /switch Traffic/.test(document.getElementById('load-measured-note').textContent));
  assert.equal(await page.locator('#load circle.dot').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an empty users input means the default shown in it, and the curve stays', async () => {
  const {page} = await open(hashOf({...NIM, ...LOAD}));
  await drawn(page);
  const renders = Number(await page.getAttribute('#load', 'data-renders'));
  await page.fill('#load-target', '');
  await drawn(page, renders + 1);
  assert.equal(await page.getAttribute('#load-target', 'placeholder'), '64');
  assert.deepEqual((await page.evaluate(() => globalThis.gpuFitPage.scenario())).load, {concurrency: 64});
  assert.ok(await page.locator('#load-table tbody tr').count() > 8);
  await page.close();
});
