// The Pack view in headless Chromium: a list of scenarios built from the calculator (added,
// edited, one removed) gives the plan gpucalc pack gives for the same request, drawn with its
// profiles, start slices and $/h; the view's module loads only when opened; the list's link
// reloads into the same list and plan; a hostile link shows its error and leaves the view usable.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {money} from '../js/format.js';
import {browserSession, cli, openPage, sameNumbers, siteDir, watch} from './helpers.mjs';

const session = browserSession();

function nativePack(request) {
  return JSON.parse(execFileSync(cli, ['pack', '-', '--format', 'json'], {input: JSON.stringify(request)}).toString());
}

const open = (hash = '') => openPage(session, hash);

const packed = (page) => page.evaluate(() => globalThis.gpuFitPage.pack());
const entries = (page) => page.$$eval('.pack-entry', (els) => els.length);

// Sets the calculator's scenario through its link (the Pack view stays open) and adds it.
async function addScenario(page, query, model) {
  const before = await entries(page);
  await page.evaluate((q) => { location.hash = q; }, query);
  await page.waitForFunction((m) => globalThis.gpuFitPage.scenario().model === m, model);
  await page.click('.pack-add-current');
  await page.waitForFunction((n) => document.querySelectorAll('.pack-entry').length === n, before + 1);
}

// The plan the page drew equals the core's answer: profiles, start slices, $/h.
async function assertDrawn(page, answer) {
  const best = answer.plans[answer.best];
  const drawn = await page.$eval(`.pack-plan.best`, (el) => ({
    gpu: el.dataset.gpu,
    usd: el.querySelector('.pack-usd').textContent,
    profiles: [...el.querySelectorAll('.pack-assignments tbody tr td:nth-child(2)')].map((td) => td.textContent),
    cards: [...el.querySelectorAll('.mig-card')].map((c) => [...c.querySelectorAll('.mig-instance')].map((i) => [
      i.querySelector('strong').textContent, i.style.gridColumn])),
  }));
  assert.equal(drawn.gpu, best.gpu);
  assert.ok(drawn.usd.includes(`${money(best.usd_per_hour)}/h`), `${drawn.usd} vs ${best.usd_per_hour}`);
  assert.deepEqual(drawn.profiles, best.assignments.map((a) => a.profile));
  assert.deepEqual(drawn.cards, best.layout.map((card) => card.instances.map((x) => [x.profile,
    `${x.start_slice + 1} / span ${x.memory_slices}`])));
}

test('a pack built in the view equals gpucalc pack; its link reloads the same list and plan', async () => {
  const {page, problems} = await open('model=llama-3.1-8b&gpu=l4&weights=int4&batch_size=8&tokens_per_day=20000000');
  const firstLoad = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  await page.click('#nav-pack');
  await page.waitForSelector('.pack-add-current');
  // The view's module came when it was opened, not with the first screen.
  const lazy = (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)))
    .filter((f) => f.endsWith('.js') && !firstLoad.includes(f));
  assert.ok(lazy.length >= 1, 'the Pack view loaded no module of its own');
  const gz = lazy.reduce((n, f) => n + gzipSync(readFileSync(path.join(siteDir, f))).length, 0);
  console.log(`# pack view chunk: ${lazy.join(' ')}, ${gz} bytes gzipped`);

  await page.click('.pack-add-current');
  await page.waitForSelector('.pack-entry');
  await addScenario(page, 'model=qwen2.5-7b&gpu=l4&weights=fp8&batch_size=4', 'qwen2.5-7b');
  await addScenario(page, 'model=llama-3.2-1b&gpu=l4&weights=bf16&batch_size=8', 'llama-3.2-1b');
  await addScenario(page, 'model=qwen2.5-14b&gpu=l4&weights=int4&batch_size=4', 'qwen2.5-14b');
  await addScenario(page, 'model=gemma-2-2b&gpu=l4&batch_size=2', 'gemma-2-2b');
  // Edit the third: 20 users at 10 tokens/s each; remove the fifth.
  await page.fill('.pack-entry[data-index="2"] input[name="users"]', '20');
  await page.dispatchEvent('.pack-entry[data-index="2"] input[name="users"]', 'change');
  await page.fill('.pack-entry[data-index="2"] input[name="min_tokens_per_s_per_user"]', '10');
  await page.dispatchEvent('.pack-entry[data-index="2"] input[name="min_tokens_per_s_per_user"]', 'change');
  await page.click('.pack-entry[data-index="4"] .pack-remove');
  await page.waitForFunction(() => document.querySelectorAll('.pack-entry').length === 4);
  await page.waitForSelector('.pack-plan.best');

  const {request, answer} = await packed(page);
  assert.deepEqual(request.scenarios.map((s) => s.model), ['llama-3.1-8b', 'qwen2.5-7b', 'llama-3.2-1b', 'qwen2.5-14b']);
  assert.equal(request.scenarios[2].users, 20);
  assert.equal(request.scenarios[2].min_tokens_per_s_per_user, 10);
  assert.ok(request.scenarios.every((s) => s.gpu === undefined), 'the GPU is the plan\'s');
  assert.deepEqual(request.gpus, ['a100-80gb-sxm', 'h100-sxm']);
  const native = nativePack(request);
  sameNumbers(answer, native);
  await assertDrawn(page, native);
  const best = native.plans[native.best];
  console.log(`# pack plan: ${native.statement}; ${best.assignments.map((a) => `${a.scenario} ${a.instances}x${a.profile}`).join(', ')}; ` +
    `layout ${best.layout.map((c) => c.instances.map((x) => `${x.profile}@${x.start_slice}`).join('+')).join(' | ')}; ` +
    `each on the cheapest whole GPU ${money(native.whole_gpus.usd_per_hour)}/h`);
  // The request the page shows is the one it computed.
  assert.deepEqual(JSON.parse(await page.textContent('.pack-request pre')), request);

  // The link: canonical, and read back into the same list and plan.
  await page.waitForFunction(() => location.hash.startsWith('#pack&s='));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /&mig=a100-80gb-sxm&mig=h100-sxm&whole=l4&whole=a100-80gb-sxm&whole=h100-sxm$/);
  const again = await open(hash.slice(1));
  await again.page.waitForSelector('.pack-plan.best');
  const reloaded = await packed(again.page);
  assert.deepEqual(reloaded.request, request);
  sameNumbers(reloaded.answer, answer);
  await assertDrawn(again.page, native);
  assert.equal(await again.page.evaluate(() => location.hash), hash);
  assert.equal(await again.page.$eval('#nav-pack', (a) => a.getAttribute('aria-current')), 'page');
  // Back to the calculator: its link is the scenario's again.
  await again.page.click('#nav-calculator');
  await again.page.waitForFunction(() => /^#model=/.test(location.hash));
  assert.deepEqual(again.problems, []);
  await again.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('a refused plan says why', async () => {
  // A 70B model in bf16 fits no slice of an A100 80GB (at most 80 GB, and the weights are 141 GB).
  const {page, problems} = await open('pack&s=model%3Dllama-3.1-70b%26weights%3Dbf16&mig=a100-80gb-sxm&whole=h100-sxm');
  await page.waitForSelector('.pack-plan.refused');
  const text = await page.textContent('.pack-plan.refused .refusal');
  assert.match(text, /^Refused: #1 llama-3\.1-70b on no slice of NVIDIA A100 80GB SXM4: does not fit: needs [\d.]+ GB, 80\.0 GB usable$/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a hostile pack link shows its error and leaves the view usable', async () => {
  const cases = [
    ['pack&s=model%3D%257B%2522name', /entry 1: /],
    ['pack&s=batch_size%3DNaN', /entry 1: .*batch_size.*must be a number/],
    [`pack&${encodeURIComponent('<img src=x onerror=alert(1)>')}=1`, /unknown key "<img src=x onerror=alert\(1\)>"/],
    ['pack&mig=l4', /mig="l4" is not a GPU with MIG slices/],
    ['pack&whole=nope', /whole="nope" is not a GPU of the catalog/],
    [`pack&s=${'model%3Dllama-3.2-1b&s='.repeat(65)}model%3Dllama-3.2-1b`, /holds more than 64 entries/],
    [`pack&s=${'x'.repeat(70000)}`, /more than the 65536 accepted/],
  ];
  for (const [hash, message] of cases) {
    const {page, problems} = await open(hash);
    await page.waitForSelector('.pack-link-error');
    const text = await page.textContent('.pack-link-error');
    assert.match(text, message, hash.slice(0, 80));
    assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0);
    // Usable: the calculator's scenario goes in and a plan comes out.
    await page.click('.pack-add-current');
    await page.waitForSelector('.pack-plan.best');
    assert.equal(await page.$('.pack-link-error'), null);
    assert.match(await page.evaluate(() => location.hash), /^#pack&s=model%3Dllama-3\.1-8b/);
    assert.deepEqual(problems, [], hash.slice(0, 80));
    await page.close();
  }
});

test("the ranking's MIG option lists slices beside whole GPUs, as rank --mig does", async () => {
  const {page, problems} = await open('model=llama-3.1-8b&gpu=l4&weights=int4&batch_size=8');
  await page.waitForSelector('table.ranking tbody tr');
  const names = () => page.$$eval('table.ranking tbody th', (ths) => ths.map((th) => th.textContent));
  assert.ok(!(await names()).some((n) => /\dg\.\d+gb/.test(n)));
  await page.selectOption('.rank-controls label:has-text("MIG slices") select', 'on');
  await page.waitForFunction(() => [...document.querySelectorAll('table.ranking tbody th')].some((th) => /\dg\.\d+gb$/.test(th.textContent)));
  const native = JSON.parse(execFileSync(cli, ['rank', '-', '--mig', '--format', 'json'],
    {input: JSON.stringify({model: 'llama-3.1-8b', gpu: 'l4', weights: 'int4', batch_size: 8})}).toString());
  const slices = native.rows.filter((r) => r.mig_profile).length;
  assert.ok(slices > 0);
  const statement = await page.textContent('#ranking .statement');
  assert.equal(statement, native.statement);
  assert.deepEqual(problems, []);
  await page.close();
});
