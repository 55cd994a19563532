// The workload switch in headless Chromium: image generation, speech-to-text and embeddings show
// their own fields and figures, equal to gpucalc's; the ranking is by the workload's cost figure;
// a permalink restores the workload; an image on a MIG slice shows the measured slicing error; a
// bad field is named beside it and kept as typed; the widget takes workload="speech"; the catalog
// lists the GPUs' media engines; the embed builder carries the workload.
import {before, test} from 'node:test';
import assert from 'node:assert/strict';
import {num} from '../js/format.js';
import {execFileSync} from 'node:child_process';
import {browserSession, cli, fetchedBytes, nativeEvaluate, openPage, pageResult, pageScenario, today, watch} from './helpers.mjs';

const routes = {};
const session = browserSession({routes});

before(() => {
  routes['/speech-widget.html'] = {body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>Speech widget</title>
<script type="module" src="/widget/gpu-fit.js"></script></head>
<body><gpu-fit id="speech" workload="speech" model="whisper-large-v3" gpus="l4" audio-seconds="600">Whisper on L4</gpu-fit>
<gpu-fit id="images" workload="image" gpus="l4" view="rank">SDXL ranking</gpu-fit></body></html>`};
});

const open = (hash = '') => openPage(session, hash);
const waitWorkload = (page, w) => page.waitForFunction((x) => {
  const r = globalThis.gpuFitPage.result();
  return r && r.scenario.workload === x && document.querySelector(`#result .figures[data-workload="${x}"]`);
}, w, {timeout: 20000});

test('switch to Image, SDXL on L4: its fields, images/min as gpucalc, ranking by $ per 1000 images', async () => {
  const {page, problems} = await open();
  // First load: text generation, and no workload chunk fetched.
  assert.equal(await page.isVisible('#field-context_tokens'), true);
  assert.equal(await page.isVisible('#field-width'), false);
  const before = await fetchedBytes(page, await page.evaluate(() => Number(document.body.dataset.readyMs)));
  console.log(`# first load: ${before.files.length} files, ${before.raw} bytes, ${before.gz} gzipped`);
  const chunks = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /workload/.test(n)));
  assert.deepEqual(chunks, [], 'workload.js is not part of the first load');

  await page.selectOption('#field-workload', 'image');
  await page.selectOption('#field-gpu', 'l4');
  await waitWorkload(page, 'image');
  const scenario = await pageScenario(page);
  assert.equal(scenario.model, 'sdxl-base-1.0');
  assert.equal(scenario.workload, 'image');
  assert.equal(scenario.context_tokens, undefined, 'LLM-only fields are left out');
  assert.equal(await page.isVisible('#field-width'), true);
  assert.equal(await page.isVisible('#field-context_tokens'), false);
  assert.equal(await page.isVisible('#field-audio_seconds'), false);
  assert.equal(await page.isVisible('fieldset.section-traffic'), false);

  const native = nativeEvaluate({...scenario, as_of_date: today()});
  const r = await pageResult(page);
  assert.equal(r.image.images_per_minute, native.image.images_per_minute);
  assert.equal(r.image.usd_per_1000_images, native.image.usd_per_1000_images);
  const text = await page.textContent('#result');
  assert.ok(text.includes(num(native.image.images_per_minute)), text);
  assert.match(text, /Images per minute/);
  assert.match(text, /\$ per 1000 images/);
  assert.match(text, /J\/image/);
  // The memory by component, and the workload's cross-validated error.
  assert.match(await page.textContent('#result .legend'), /unet/);
  // (gpucalc validate's figures, fetched after the chunk.)
  await page.waitForSelector('#result .band');
  const v = JSON.parse(execFileSync(cli, ['validate', '--format', 'json']).toString()).workloads.find((x) => x.workload === 'image');
  assert.ok(v.n >= 30 && v.sources >= 2, JSON.stringify(v));
  assert.ok((await page.textContent('#result .band')).includes(`±${num(v.median_abs_pct)}% typical for image generation`));
  assert.match(await page.textContent('#result .band'), new RegExp(`${v.n} measured results from ${v.sources} sources`));

  // The ranking: in images, sorted by $ per 1000 images (fitting rows, cheapest first).
  await page.waitForFunction(() => /1000 images/.test(document.querySelector('#ranking thead').textContent));
  assert.match(await page.textContent('#ranking .statement'), /per 1000 images/);
  const costs = await page.$$eval('#ranking tbody tr:not(.unfit)', (trs) => trs.map((tr) => {
    const cells = [...tr.children].map((c) => c.textContent);
    const i = [...document.querySelectorAll('#ranking thead th')].findIndex((th) => /1000 images/.test(th.textContent));
    return Number(cells[i].replace(/[$,]/g, ''));
  }));
  // Rows without a price (no cost figure) come last, as the core ranks them.
  while (costs.length && Number.isNaN(costs[costs.length - 1])) costs.pop();
  assert.ok(costs.length > 3, String(costs));
  for (let i = 1; i < costs.length; i++) assert.ok(costs[i] >= costs[i - 1], `ranked by $/1000 images: ${costs}`);

  // Charts follow the workload.
  await page.locator('#charts').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => /Images per minute against batch size/.test(document.querySelector('#charts').textContent), null, {timeout: 20000});
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /workload/.test(e.name)).map((e) => [e.name, e.encodedBodySize, e.decodedBodySize]));
  console.log(`# workload chunk: ${JSON.stringify(loaded)}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a permalink restores the workload and its fields', async () => {
  const {page} = await open();
  await page.selectOption('#field-workload', 'image');
  await page.fill('#field-width', '768');
  await page.fill('#field-steps', '30');
  await waitWorkload(page, 'image');
  await page.waitForFunction(() => /workload=image/.test(location.hash) && /width=768/.test(location.hash) && /steps=30/.test(location.hash) &&
    globalThis.gpuFitPage.result().image.steps === 30 && globalThis.gpuFitPage.result().image.width === 768);
  const hash = await page.evaluate(() => location.hash.slice(1));
  const want = await pageResult(page);
  await page.close();

  const {page: again, problems} = await open(hash);
  await waitWorkload(again, 'image');
  assert.equal(await again.inputValue('#field-workload'), 'image');
  assert.equal(await again.inputValue('#field-width'), '768');
  assert.equal(await again.inputValue('#field-steps'), '30');
  const got = await pageResult(again);
  assert.equal(got.image.images_per_minute, want.image.images_per_minute);
  assert.equal(got.image.width, 768);
  assert.deepEqual(problems, []);
  await again.close();
});

test('image generation on a MIG slice: the figures gpucalc gives, the price of the slice, the measured slicing error', async () => {
  const {page, problems} = await open();
  await page.selectOption('#field-workload', 'image');
  await page.selectOption('#field-gpu', 'h100-pcie');
  await page.fill('#field-mig_profile', '2g.20gb');
  await page.waitForFunction(() => {
    const r = globalThis.gpuFitPage.result();
    return r && r.scenario.workload === 'image' && r.mig && r.mig.profile === '2g.20gb' &&
      /On MIG slices/.test(document.querySelector('#result .band')?.textContent || '');
  }, null, {timeout: 20000});
  const r = await pageResult(page);
  const native = nativeEvaluate({...(await pageScenario(page)), as_of_date: today()});
  assert.equal(r.image.seconds_per_image, native.image.seconds_per_image);
  assert.equal(r.cost.usd_per_hour, native.cost.usd_per_hour);
  const band = await page.textContent('#result .band');
  // The ratio figures come from gpucalc validate's workloads (data/workload-validation.json).
  const v = JSON.parse(execFileSync(cli, ['validate']).toString()).workloads.find((x) => x.workload === 'image');
  assert.ok(v.mig.ratio_n >= 12, JSON.stringify(v.mig));
  assert.ok(band.includes(`${num(v.mig.ratio_median_abs_pct)}%`) && band.includes(`${num(v.mig.ratio_n)} measured pairs`), band);
  assert.match(await page.textContent('#result .warnings'), /MIG 2g\.20gb/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('speech and embedding figures; a bad field is named beside it and kept as typed', async () => {
  const {page} = await open();
  await page.selectOption('#field-workload', 'speech');
  await page.selectOption('#field-gpu', 'l4');
  await waitWorkload(page, 'speech');
  let r = await pageResult(page);
  const native = nativeEvaluate({...(await pageScenario(page)), as_of_date: today()});
  // The wasm's fit of the speech efficiencies lands within 1e-8 of the native one (the image and
  // embedding figures are equal to the last bit).
  assert.ok(Math.abs(r.speech.real_time_factor / native.speech.real_time_factor - 1) < 1e-6,
    `${r.speech.real_time_factor} vs ${native.speech.real_time_factor}`);
  assert.match(await page.textContent('#result'), /Real-time factor/);
  assert.match(await page.textContent('#result'), /\$ per audio hour/);

  await page.fill('#field-audio_seconds', 'ten minutes');
  await page.waitForFunction(() => document.querySelector('#field-audio_seconds-error').textContent !== '');
  assert.match(await page.textContent('#field-audio_seconds-error'), /number/);
  assert.match(await page.textContent('#status'), /audio_seconds/);
  assert.equal(await page.inputValue('#field-audio_seconds'), 'ten minutes');

  await page.selectOption('#field-workload', 'embedding');
  await page.fill('#field-sequence_tokens', '256');
  await waitWorkload(page, 'embedding');
  r = await pageResult(page);
  assert.equal(r.model.id, 'bge-large-en-v1.5');
  assert.match(await page.textContent('#result'), /Sequences per second/);
  assert.match(await page.textContent('#result'), /\$ per 1M tokens/);
  await page.close();
});

test('the widget takes workload="speech" and shows the real-time factor', async () => {
  const page = await session.browser.newPage();
  const problems = watch(page);
  await page.goto(`${session.base}speech-widget.html`);
  await page.waitForFunction(() => ['speech', 'images'].every((id) => document.getElementById(id).dataset.state === 'ready'), null, {timeout: 30000});
  const text = await page.evaluate(() => document.getElementById('speech').shadowRoot.textContent);
  const native = nativeEvaluate({workload: 'speech', model: 'whisper-large-v3', gpu: 'l4', audio_seconds: 600, as_of_date: today()});
  assert.match(text, /Real-time factor/);
  assert.ok(text.includes(`${num(native.speech.real_time_factor)}×`), text);
  const rank = await page.evaluate(() => document.getElementById('images').shadowRoot.textContent);
  assert.match(rank, /per 1000 images/);
  assert.match(rank, /images\/min/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the catalog shows media engines; the embed builder carries the workload', async () => {
  const {page} = await open();
  await page.selectOption('#field-workload', 'speech');
  await waitWorkload(page, 'speech');
  await page.click('#nav-compare');
  await page.waitForFunction(() => /Real-time factor/.test(document.querySelector('#compare').textContent), null, {timeout: 20000});
  assert.match(await page.textContent('#compare'), /\$ per audio hour/);
  await page.click('#nav-catalog');
  await page.waitForFunction(() => [...document.querySelectorAll('#catalog tbody tr')].some((tr) => /H100 SXM/.test(tr.textContent)), null, {timeout: 20000});
  const row = await page.$$eval('#catalog tbody tr', (trs) => trs.map((tr) => tr.textContent).find((t) => /H100 SXM/.test(t)) || '');
  assert.match(row, /7 NVDEC · 7 NVJPG/);
  assert.match(await page.textContent('#catalog thead'), /Media engines/);
  await page.click('#nav-embed');
  await page.waitForSelector('#embed-builder pre, #embed-builder code, #embed-builder textarea');
  assert.match(await page.textContent('#embed-builder'), /workload="speech"/);
  await page.close();
});
