// Using the gpu-fit package from TypeScript: the declarations come from the core's schema, so a
// misspelled field or a wrong type is a compile error. Type-checked by wasm/test/package.test.mjs
// against the packed package (tsc --strict).
import {createCalculator, GpuFitError, type Result, type Scenario} from 'gpu-fit';

const scenario: Scenario = {
  model: 'llama-3.1-70b',
  weights: 'int4',
  gpu: 'l4',
  gpu_count: 2,
  context_tokens: 8192,
  batch_size: 8,
};

const calc = await createCalculator();
const result: Result = calc.evaluate(scenario);
const {rank} = calc.update(scenario, {rank: {}});
console.log(`fits: ${result.fits}, ${result.decode.tokens_per_s_total.toFixed(0)} tok/s on 2× L4`);
if (rank) console.log(rank.statement);

try {
  calc.evaluate({...scenario, batch_size: 0});
} catch (e) {
  if (e instanceof GpuFitError) console.log(`refused at ${e.path}: ${e.detail}`);
  else throw e;
}
