// A model from its files, in the page: a Hub id read with Range requests from a stand-in Hub on
// loopback (Playwright answers https://huggingface.co/... from this process, with byte ranges and
// a count of every byte sent) and a GGUF file picked from disk. The page transfers the headers
// and not one weight byte, a gated repository says so and works with a token that never reaches
// the link or storage, and the result equals gpucalc's for the same scenario.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {browserSession, nativeEvaluate, openPage, root, sameNumbers, today, watch} from './helpers.mjs';

const session = browserSession();

// A small Llama-shaped checkpoint in two safetensors shards: headers real, weights never sent.
const config = {architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 256, intermediate_size: 512,
  num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 1000, max_position_embeddings: 4096,
  tie_word_embeddings: false, torch_dtype: 'bfloat16', rms_norm_eps: 1e-5, rope_theta: 10000};

function checkpoint() {
  const h = 256, f = 512, kv = 128, v = 1000;
  const layer = (i) => ({
    [`model.layers.${i}.self_attn.q_proj.weight`]: [h, h], [`model.layers.${i}.self_attn.k_proj.weight`]: [kv, h],
    [`model.layers.${i}.self_attn.v_proj.weight`]: [kv, h], [`model.layers.${i}.self_attn.o_proj.weight`]: [h, h],
    [`model.layers.${i}.mlp.gate_proj.weight`]: [f, h], [`model.layers.${i}.mlp.up_proj.weight`]: [f, h],
    [`model.layers.${i}.mlp.down_proj.weight`]: [h, f], [`model.layers.${i}.input_layernorm.weight`]: [h],
    [`model.layers.${i}.post_attention_layernorm.weight`]: [h]});
  const shards = {
    'model-00001-of-00002.safetensors': {'model.embed_tokens.weight': [v, h], ...layer(0)},
    'model-00002-of-00002.safetensors': {...layer(1), 'model.norm.weight': [h], 'lm_head.weight': [v, h]},
  };
  const files = {};
  const weightMap = {};
  let total = 0;
  for (const [name, tensors] of Object.entries(shards)) {
    const header = {__metadata__: {format: 'pt'}};
    let offset = 0;
    for (const [t, shape] of Object.entries(tensors)) {
      const bytes = shape.reduce((a, b) => a * b, 1) * 2;
      header[t] = {dtype: 'BF16', shape, data_offsets: [offset, offset + bytes]};
      offset += bytes;
      weightMap[t] = name;
    }
    const text = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(text.length));
    files[name] = {head: Buffer.concat([len, text]), size: 8 + text.length + offset};
    total += offset;
  }
  files['config.json'] = {head: Buffer.from(JSON.stringify(config))};
  files['model.safetensors.index.json'] = {head: Buffer.from(JSON.stringify({metadata: {total_size: total}, weight_map: weightMap}))};
  return {files, total};
}

// The stand-in Hub: /{org}/{name}/resolve/{rev}/{file}; gated/* wants "Bearer hf_test".
async function hub(page) {
  const {files, total} = checkpoint();
  const sent = {};
  await page.route('https://huggingface.co/**', async (route) => {
    const req = route.request();
    const cors = {'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-range',
      'access-control-allow-headers': 'authorization, range'};
    if (req.method() === 'OPTIONS') return route.fulfill({status: 204, headers: cors});
    const m = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(new URL(req.url()).pathname);
    if (!m) return route.fulfill({status: 404, headers: cors, body: 'not found'});
    const [, org, , , file] = m;
    if (org === 'gated' && req.headers().authorization !== 'Bearer hf_test') {
      return route.fulfill({status: req.headers().authorization ? 403 : 401, headers: cors, body: 'gated'});
    }
    const f = files[file];
    if (!f) return route.fulfill({status: 404, headers: cors, body: 'Entry not found'});
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers().range || '');
    let body;
    let status = 200;
    const headers = {...cors};
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      // Only header bytes exist here: a request past them would be a request for weights.
      assert.ok(b < f.head.length, `${file}: bytes ${a}-${b} asked, past the header (${f.head.length} bytes)`);
      body = f.head.subarray(a, b + 1);
      status = 206;
      headers['content-range'] = `bytes ${a}-${b}/${f.size ?? f.head.length}`;
    } else {
      assert.ok(!f.size, `${file} asked whole`);
      body = f.head;
    }
    sent[file] = (sent[file] || 0) + body.length;
    return route.fulfill({status, headers, body});
  });
  return {sent, files, total};
}

async function open() {
  const opened = await openPage(session);
  await opened.page.click('button[role="tab"][data-mode="files"]');
  return opened;
}

const result = (page) => page.evaluate(() => globalThis.gpuFitPage.result());

async function waitForSource(page, kind) {
  await page.waitForFunction((k) => globalThis.gpuFitPage.result()?.model?.source?.kind === k, kind, {timeout: 30000});
}

test('a Hub id: config.json, the index and each shard\'s header, nothing more; the result is gpucalc\'s', async () => {
  const {page, problems} = await open();
  const {sent, files, total} = await hub(page);
  await page.fill('#field-model-hub', 'test-org/tiny-llama');
  await page.click('#model-hub-read');
  await waitForSource(page, 'hub');
  const r = await result(page);
  assert.equal(r.model.source.id, 'test-org/tiny-llama');
  assert.equal(r.model.source.weights_bytes_by_dtype.BF16, total);
  // Per shard: 8 bytes, then the header; the JSON files whole.
  for (const [name, f] of Object.entries(files)) assert.equal(sent[name], f.head.length, name);
  const transferred = Object.values(sent).reduce((a, b) => a + b, 0);
  assert.equal(r.model.source.bytes_fetched, transferred);
  assert.ok(transferred < 16 * 1024, `${transferred} bytes`);
  assert.match(await page.textContent('#model-files-status'), /headers only/);
  // The same scenario natively: the page's model object carries the headers' bytes.
  const scenario = await page.evaluate(() => globalThis.gpuFitPage.scenario());
  sameNumbers(r, nativeEvaluate({...scenario, as_of_date: today()}), {skip: ['measured']});
  assert.deepEqual(problems, []);
  await page.close();
});

test('a gated repository asks for a token; the token works and is never kept', async () => {
  const {page} = await open();
  await hub(page);
  await page.fill('#field-model-hub', 'gated/tiny-llama');
  await page.click('#model-hub-read');
  await page.waitForFunction(() => /gated or private/.test(document.getElementById('model-error').textContent));
  await page.fill('#field-model-hub-token', 'hf_test');
  await page.click('#model-hub-read');
  await waitForSource(page, 'hub');
  await page.waitForTimeout(300);  // the link follows the inputs after 150 ms
  const kept = await page.evaluate(() => JSON.stringify({hash: location.hash, local: {...localStorage}, session: {...sessionStorage}}));
  assert.ok(!kept.includes('hf_test'), kept);
  await page.close();
});

test('a Hub id that does not exist, and a malformed one, say so and keep the page working', async () => {
  const {page, problems} = await open();
  await hub(page);
  const before = await result(page);
  await page.fill('#field-model-hub', 'test-org/tiny-llama@nope');
  await page.route('https://huggingface.co/test-org/tiny-llama/resolve/nope/**', (route) => route.fulfill({status: 404, body: 'no', headers: {'access-control-allow-origin': '*'}}));
  await page.click('#model-hub-read');
  await page.waitForFunction(() => /not found/.test(document.getElementById('model-error').textContent));
  await page.fill('#field-model-hub', 'not a hub id');
  await page.click('#model-hub-read');
  await page.waitForFunction(() => /looks like org\/name/.test(document.getElementById('model-error').textContent));
  assert.equal((await result(page)).model.name, before.model.name);
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await page.close();
});

test('a GGUF file picked from disk is read here: its header only, its exact bytes used', async () => {
  const {page, problems} = await open();
  const file = path.join(root, 'tests/fuzz/gguf/llama-q8_0.gguf');
  await page.setInputFiles('#field-model-file', {name: 'llama-q8_0.gguf', mimeType: 'application/octet-stream', buffer: readFileSync(file)});
  await waitForSource(page, 'gguf');
  const r = await result(page);
  assert.equal(r.model.source.id, 'llama-q8_0.gguf');
  assert.ok(r.model.source.bytes_fetched <= readFileSync(file).length);
  const scenario = await page.evaluate(() => globalThis.gpuFitPage.scenario());
  sameNumbers(r, nativeEvaluate({...scenario, as_of_date: today()}), {skip: ['measured']});
  assert.deepEqual(problems, []);
  await page.close();
});
