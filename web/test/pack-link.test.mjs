// The Pack view's link (web/js/pack-link.js) under Node with the wasm core: random lists round-trip
// and encode to one canonical text; random and hostile texts give a PackLinkError with a message,
// never anything else, never a hang.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {root, siteDir} from './helpers.mjs';

const {createCalculator} = await import(pathToFileURL(path.join(root, 'web/js/calculator.js')).href);
const {decodePackLink, encodePackLink, PackLinkError, MAX_ENTRIES} = await import(pathToFileURL(path.join(root, 'web/js/pack-link.js')).href);
const calc = await createCalculator({wasmUrl: path.join(siteDir, 'core/gpufit-core.wasm')});
const catalog = calc.catalog('all');
const known = {
  mig: new Set(catalog.gpus.filter((g) => g.mig_profiles && g.mig_profiles.length).map((g) => g.id)),
  all: new Set(catalog.gpus.map((g) => g.id)),
  order: catalog.gpus.map((g) => g.id),
};

// A small deterministic generator (the failures reproduce).
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomList(r) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const scenarios = [];
  for (let i = 0, n = Math.floor(r() * 6); i < n; i++) {
    const s = {model: pick(catalog.models).id};
    if (r() < 0.5) s.weights = pick(['bf16', 'fp8', 'int4', 'int8']);
    if (r() < 0.5) s.batch_size = 1 + Math.floor(r() * 64);
    if (r() < 0.3) s.tokens_per_day = Math.round(r() * 1e8);
    if (r() < 0.3) { s.users = 1 + Math.floor(r() * 50); s.min_tokens_per_s_per_user = 5 + Math.round(r() * 20); }
    if (r() < 0.2) s.prompt_tokens = 1 + Math.floor(r() * 4000);
    scenarios.push(s);
  }
  const some = (ids) => ids.filter(() => r() < 0.3);
  // Any order, repeats included: the link keeps catalog order, each once.
  const shuffle = (ids) => [...ids, ...ids.filter(() => r() < 0.2)].sort(() => r() - 0.5);
  return {scenarios, gpus: shuffle(some([...known.mig])), whole_gpus: shuffle(some(known.order))};
}

test('random lists round-trip through one canonical link', () => {
  const r = rng(17);
  for (let i = 0; i < 200; i++) {
    const list = randomList(r);
    const link = encodePackLink(calc, list, known.order);
    const back = decodePackLink(calc, `#${link}`, known);
    assert.deepEqual(back.scenarios, list.scenarios, link);
    assert.deepEqual(back.gpus, known.order.filter((id) => list.gpus.includes(id)));
    assert.deepEqual(back.whole_gpus, known.order.filter((id) => list.whole_gpus.includes(id)));
    assert.equal(encodePackLink(calc, back, known.order), link);
  }
  assert.equal(encodePackLink(calc, {scenarios: [], gpus: [], whole_gpus: []}, known.order), 'pack');
});

test('random and hostile links give a PackLinkError and nothing else', () => {
  const r = rng(4242);
  const alphabet = ['pack', '&', '=', 's', 'mig', 'whole', '%', '%2', '%3D', '%26', '%7B', '%22', '+', 'model', 'x', '{', '"',
    '\u0000', '\uD800', 'é', 'a100-80gb-sxm', 'l4', 'batch_size', '1e999', 'NaN', '__proto__', 'constructor'];
  let refused = 0;
  for (let i = 0; i < 3000; i++) {
    let text = 'pack';
    for (let k = 0, n = Math.floor(r() * 30); k < n; k++) text += alphabet[Math.floor(r() * alphabet.length)];
    try {
      const out = decodePackLink(calc, text, known);
      assert.ok(Array.isArray(out.scenarios) && out.scenarios.length <= MAX_ENTRIES);
    } catch (e) {
      assert.ok(e instanceof PackLinkError, `${JSON.stringify(text)}: ${e && e.stack}`);
      assert.ok(e.message.length > 0 && e.message.length < 2000);
      refused++;
    }
  }
  assert.ok(refused > 100);
  for (const [text, message] of [
    ['model=llama-3.1-8b', /not a pack list/],
    [`pack&s=${'a'.repeat(70000)}`, /more than the 65536 accepted/],
    [`pack${'&s=model%3Dllama-3.2-1b'.repeat(MAX_ENTRIES + 1)}`, /more than 64 entries/],
    ['pack&__proto__=1', /unknown key "__proto__"/],
    ['pack&mig=constructor', /not a GPU with MIG slices/],
    ['pack&s=gpu%3D%7B', /entry 1: /],
  ]) {
    assert.throws(() => decodePackLink(calc, text, known), (e) => e instanceof PackLinkError && message.test(e.message), text.slice(0, 60));
  }
});
