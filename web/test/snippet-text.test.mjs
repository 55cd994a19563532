// The text inside an embed snippet's <gpu-fit> element, written from the answer the widget gives
// (computed here by the native CLI): each view's own figures, formatted as the page formats them,
// dated, and never "undefined" or "NaN"; without an answer, a plain label.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {money, num} from '../js/format.js';
import {plainLabel, snippetText} from '../js/snippet-text.js';
import {cli, nativeEvaluate} from './helpers.mjs';

const date = '2026-12-07';
const base = {model: 'llama-3.1-8b', gpu: 'l4', as_of_date: date};
const rank = (scenario, extra = []) => JSON.parse(execFileSync(cli, ['rank', '-', '--format', 'json', ...extra], {input: JSON.stringify(scenario)}).toString());

function wellFormed(text) {
  // "–" (an en dash) is what format.js prints for a missing number.
  assert.doesNotMatch(text, /undefined|NaN|Infinity|\[object|–/, text);
  assert.ok(text.endsWith(`GPU Fit calculator, computed ${date}.`), text);
}

test('each result view says its own figures', () => {
  const attrs = {model: 'llama-3.1-8b', gpus: 'l4'};
  const r = nativeEvaluate({...base, batch_size: 8});
  const fit = snippetText('fit', r, attrs, {date});
  wellFormed(fit);
  assert.ok(fit.startsWith(`${r.model.name} (bf16) on NVIDIA L4: fits,`), fit);
  assert.ok(fit.includes(`${num(r.decode.tokens_per_s_per_sequence)} tokens/s per sequence at batch 8`), fit);

  const cost = snippetText('cost', r, attrs, {date});
  wellFormed(cost);
  assert.ok(cost.includes(`${money(r.cost.usd_per_million_tokens)} per 1M tokens at ${num(r.decode.tokens_per_s_total)} tokens/s`), cost);

  const power = snippetText('power', r, attrs, {date});
  wellFormed(power);
  assert.ok(power.includes(`draws ${num(r.power.watts)} W, ${num(r.power.joules_per_token)} J per token`), power);

  const fleet = nativeEvaluate({...base, users: 200, min_tokens_per_s_per_user: 10});
  const fleetText = snippetText('fleet', fleet, attrs, {date});
  wellFormed(fleetText);
  assert.ok(fleetText.includes(`${num(fleet.fleet.gpus_needed)} GPUs in ${num(fleet.fleet.replicas)} replicas serve 200 users, ${money(fleet.fleet.usd_per_hour)} per hour`), fleetText);

  const load = nativeEvaluate({...base, load: {concurrency: 16}, slo: {ttft_p99_ms: 2000, tpot_p99_ms: 80}});
  const loadText = snippetText('load', load, attrs, {date});
  wellFormed(loadText);
  assert.ok(loadText.includes(`one replica at 16 users: ${num(load.serving_load.output_tokens_per_s)} output tokens/s`), loadText);
  assert.ok(loadText.includes(`p99 time to first token ${num(load.serving_load.ttft_ms.p99)} ms`), loadText);
  const rate = snippetText('load', nativeEvaluate({...base, load: {request_rate_per_s: 0.5}}), attrs, {date});
  wellFormed(rate);
  assert.match(rate, /one replica at 0.50 requests\/s: [\d.,]+ output tokens\/s/);
  assert.match(loadText, /(1 GPU \(1 replica\) serves|\d+ GPUs \(\d+ replicas?\) serve) 16 users within the SLO|no load meets the SLO/);
});

test('a GPU without a price, a fine-tuning mode and a saturated load point say so', () => {
  const attrs = {model: 'llama-3.1-8b', gpus: 'v100-32gb-sxm2'};
  const unpriced = nativeEvaluate({...base, gpu: 'v100-32gb-sxm2', users: 20, min_tokens_per_s_per_user: 10});
  assert.equal(unpriced.cost.usd_per_hour, null);
  for (const view of ['cost', 'fleet']) {
    const text = snippetText(view, unpriced, attrs, {date});
    wellFormed(text);
    assert.match(text, /no price in the catalog/);
  }
  assert.match(snippetText('fleet', unpriced, attrs, {date}), /: 1 GPU in 1 replica serves 20 users,/);
  const lora = nativeEvaluate({...base, mode: 'lora'});
  const loraText = snippetText('cost', lora, {model: 'llama-3.1-8b', gpus: 'l4'}, {date});
  wellFormed(loraText);
  assert.match(loraText, /^Llama 3\.1 8B \(bf16, LoRA fine-tune\) on NVIDIA L4: (fits|does not fit), /);
  assert.doesNotMatch(loraText, /per sequence|per 1M tokens/);
  const flooded = nativeEvaluate({...base, load: {request_rate_per_s: 50}});
  assert.equal(flooded.serving_load.saturated, true);
  assert.match(snippetText('load', flooded, {model: 'llama-3.1-8b', gpus: 'l4'}, {date}), /one replica at 50 requests\/s, saturated \(the queue grows\):/);
});

test('a model that does not fit says so, with what it needs', () => {
  const r = nativeEvaluate({...base, model: 'llama-3.1-70b'});
  assert.equal(r.fits, false);
  for (const view of ['fit', 'cost', 'power']) {
    const text = snippetText(view, r, {model: 'llama-3.1-70b', gpus: 'l4'}, {date});
    wellFormed(text);
    assert.match(text, /does not fit, [\d.]+ GB needed per GPU/);
  }
});

test('image, speech and embedding results use their own units', () => {
  const cases = [['image', 'sdxl-base-1.0', /images per minute [\d.]+, \$ per 1000 images \$[\d.]+/],
    ['speech', 'whisper-large-v3', /real-time factor [\d.,]+×, audio hours per GPU hour [\d.,]+/],
    ['embedding', 'bge-large-en-v1.5', /sequences per second [\d.,]+, tokens per second [\d.,]+/]];
  for (const [workload, model, pattern] of cases) {
    const r = nativeEvaluate({...base, workload, model});
    const text = snippetText('fit', r, {model, gpus: 'l4'}, {date});
    wellFormed(text);
    assert.match(text, pattern);
  }
});

test('compare names each GPU the widget compares, in its order; rank the best three', () => {
  const scenario = {...base, model: 'llama-3.1-70b', weights: 'int4', context_tokens: 8192};
  const ranking = rank(scenario);
  const attrs = {model: 'llama-3.1-70b', gpus: 'a100-80gb-sxm, l4'};
  const text = snippetText('compare', ranking, attrs, {date, modelName: 'Llama 3.1 70B'});
  wellFormed(text);
  const a100 = ranking.rows.find((r) => r.gpu === 'a100-80gb-sxm');
  const l4 = ranking.rows.find((r) => r.gpu === 'l4');
  const at = (row) => text.indexOf(`${row.gpu_count > 1 ? `${row.gpu_count}× ` : ''}${row.gpu_name}: ${num(row.tokens_per_s)} tokens/s, ${money(row.usd_per_million_tokens)} per million tokens`);
  assert.ok(at(a100) > 0 && at(l4) > at(a100), text);
  assert.ok(text.startsWith('Llama 3.1 70B (int4) — '), text);
  assert.ok(text.includes(ranking.statement), text);

  const top = snippetText('rank', ranking, attrs, {date, modelName: 'Llama 3.1 70B'});
  wellFormed(top);
  assert.equal(top.split('; ').length, 3, top);
  assert.ok(top.startsWith('Llama 3.1 70B (int4), the best three — '), top);
  // Fewer rows that fit than three: the text says how many.
  const two = {...ranking, rows: ranking.rows.filter((r) => r.fits).slice(0, 2)};
  assert.ok(snippetText('rank', two, attrs, {date, modelName: 'Llama 3.1 70B'}).startsWith('Llama 3.1 70B (int4), the best two — '));
  assert.ok(top.includes(ranking.rows.find((r) => r.fits).gpu_name), top);
});

test('without an answer, or with no row for the GPUs named, the text is a plain label', () => {
  const attrs = {model: 'llama-3.1-8b', gpus: 'l4'};
  assert.equal(snippetText('fit', null, attrs, {date}), plainLabel(attrs));
  assert.equal(snippetText('compare', {rows: [], statement: ''}, {model: 'x', gpus: 'nope'}, {date}), 'x on nope — GPU Fit calculator');
});
