// The measured load sweeps the Load view draws beside the model's curve: rows of one source and
// setup whose mean lengths differ by a few percent (each run draws its own sample) are one sweep.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {measuredSweeps} from '../js/load-curve.js';
import {root} from './helpers.mjs';

const row = (id, rate, prompt, output, extra = {}) => ({id, kind: 'serving_load', source: 'https://example.org/bench/README.md', engine: 'vllm',
  engine_version: '1', model: 'llama-3-8b', gpu: 'rtx-3090', gpu_count: 1, weights: 'bf16', request_rate_per_s: rate,
  prompt_tokens: prompt, output_tokens: output, value: 100 * rate, ...extra});

test('lengths within 10% of a sweep\'s first row join it, wherever they fall; others start their own', () => {
  // 214 and 229 are 7% apart and straddle a rounding bucket of log base 1.1 (56 and 57).
  const sweeps = measuredSweeps([row('a', 1, 229.25, 217.9), row('b', 2, 214.4, 220.7), row('c', 5, 214.0, 199.8),
    row('d', 8, 300, 200), row('e', 9, 214, 200, {engine: 'sglang'})]);
  assert.equal(sweeps.length, 3);
  assert.deepEqual(sweeps[0].points.map((p) => p.id), ['a', 'b', 'c']);
  assert.deepEqual(sweeps.map((g) => g.points.length), [3, 1, 1]);
  assert.equal(new Set(sweeps.map((g) => g.key)).size, 3);
});

test('each measured source\'s sweep in data/ keeps its loads together', () => {
  const {benchmarks} = JSON.parse(readFileSync(path.join(root, 'data/benchmarks.json'), 'utf8'));
  const sweeps = measuredSweeps(benchmarks);
  const rtx3090 = sweeps.filter((g) => g.source.includes('zhjunqin/LLM-Learning'));
  assert.equal(rtx3090.length, 1);
  assert.deepEqual(rtx3090[0].points.map((p) => p.x), [1, 2, 5, 8]);
  const surajssd = sweeps.filter((g) => g.source.includes('surajssd/llm-k8s'));
  assert.equal(surajssd.length, 1);
  assert.equal(surajssd[0].points.length, 3);
});
