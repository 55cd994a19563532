// Hostile input on the page: permalinks, model names and custom-catalog fields carrying markup,
// javascript: URLs and very long strings are shown as text, nothing runs, the page stays usable;
// a failed WebAssembly load shows a message, not silence.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {browserSession, openPage, watch} from './helpers.mjs';

const session = browserSession();

const HOSTILE_MARKUP = '<img src=x onerror="window.__pwned=1">';

async function open(hash) {
  let dialogs = 0;
  const opened = await openPage(session, hash, {setup: (page) => page.on('dialog', async (d) => { dialogs++; await d.dismiss(); })});
  return {...opened, dialogs: () => dialogs};
}

// No element the hostile text could have become, no script effect, no dialog. (The site's CSP
// would also stop an inline handler: the element count is what shows the text stayed text.)
async function assertNothingRan(page, dialogs) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs(), 0);
  assert.equal(await page.$$eval('img, b', (els) => els.length), 0);
}

// [name, permalink, where the text must show, what it must say]
const cases = [
  ['markup as the model id', `model=${encodeURIComponent(HOSTILE_MARKUP)}&gpu=l4`, '#model-error', /unknown model "<img src=x onerror=/],
  ['a javascript: URL as the GPU', 'model=llama-3.1-8b&gpu=javascript%3Aalert(1)', '#field-gpu-error', /unknown GPU "javascript:alert\(1\)"/],
  ['markup in an inline model\'s name', `model=${encodeURIComponent(JSON.stringify({name: HOSTILE_MARKUP, params: 7e9, layers: 32, hidden_size: 4096, attention_heads: 32, kv_heads: 8, vocab_size: 32000}))}&gpu=l4`,
    '#result .verdict', /<img src=x onerror="window.__pwned=1">/],
  ['a 100 kB model id', `model=${'x'.repeat(100000)}&gpu=l4`, '#model-error', /more than the 4096 accepted|unknown model/],
  ['an unknown field with markup', `${encodeURIComponent('<b>x</b>')}=1&model=llama-3.1-8b&gpu=l4`, '#notices', /unknown field "<b>x<\/b>" was left out/],
  ['a deeply nested model', `model=${encodeURIComponent('['.repeat(5000))}&gpu=l4`, '#model-error', /is 5000 bytes long, more than the 4096 accepted/],
];

for (const [name, hash, where, message] of cases) {
  test(`hostile permalink: ${name}`, async () => {
    const {page, problems, dialogs} = await open(hash);
    await assertNothingRan(page, dialogs);
    assert.match(await page.textContent(where), message);
    // Still usable: a good model recomputes.
    await page.click('button[data-mode="catalog"]');
    await page.fill('#field-model', 'llama-3.1-8b');
    await page.selectOption('#field-gpu', 'l4');
    await page.waitForFunction(() => globalThis.gpuFitPage.result() && globalThis.gpuFitPage.result().scenario.gpu === 'l4'
      && !document.getElementById('results').classList.contains('stale'));
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('hostile fields in an imported custom catalog are text; links to javascript: are inert', async () => {
  const {page, problems, dialogs} = await open('model=llama-3.1-8b&gpu=l4');
  await page.click('#nav-catalog');
  await page.click('#catalog-tab-mine');
  await page.fill('#custom-json', JSON.stringify({gpus: [{id: 'evil', name: HOSTILE_MARKUP, memory_gb: 24, memory_bandwidth_gbs: 300,
    fp16_tflops: 100, tdp_w: 70, source: 'javascript:alert(1)', notes: HOSTILE_MARKUP}]}));
  await page.click('#custom-add');
  await page.waitForSelector('text=Saved 1 entry');
  assert.match(await page.textContent('#catalog'), /<img src=x onerror=/);
  await page.click('#nav-calculator');
  await page.selectOption('#field-gpu', 'evil');
  await page.waitForFunction(() => globalThis.gpuFitPage.result().scenario.gpu === 'evil');
  assert.match(await page.textContent('#result .verdict'), /<img src=x onerror=/);
  await assertNothingRan(page, dialogs);
  const hrefs = await page.$$eval('a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => !/^javascript:/i.test(h || '')), hrefs.filter((h) => /^javascript:/i.test(h || '')).join());
  assert.deepEqual(problems, []);
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test('a failed WebAssembly load shows a message, not a blank page', async () => {
  const page = await session.browser.newPage();
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto(session.base);
  await page.waitForFunction(() => document.body.dataset.ready === 'failed', null, {timeout: 30000});
  assert.match(await page.textContent('#result'), /could not start/);
  assert.ok(await page.isVisible('#result .verdict.bad'));
  // Opened from a link to another scenario (the pre-rendered default hidden): the message shows too.
  await page.goto(`${session.base}#model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2`);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'failed', null, {timeout: 30000});
  assert.ok(await page.isVisible('#result .verdict.bad'));
  assert.match(await page.textContent('#result'), /could not start/);
  await page.close();
});
