// The npm package as a user gets it: `npm pack` of build-wasm/pkg, unpacked into a scratch folder
// and imported by name from Node (its own wasm, no path given); the TypeScript example in
// examples/typescript type-checks against the packed declarations under tsc --strict, and a
// wrong field type in it does not; every file in data/ and examples/ is valid against the JSON
// Schemas the package publishes (draft 2020-12, checked with Ajv).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {createRequire} from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkgDir = path.join(root, 'build-wasm/pkg');
const cli = process.env.GPUFIT_CLI ?? path.join(root, 'build/cli/gpucalc');
const require = createRequire(import.meta.url);

const scratch = mkdtempSync(path.join(tmpdir(), 'gpufit-pkg-'));
process.on('exit', () => rmSync(scratch, {recursive: true, force: true}));

// npm pack, then unpack as node_modules/gpu-fit of a scratch project.
const tarball = execFileSync('npm', ['pack', pkgDir, '--pack-destination', scratch, '--silent'], {cwd: scratch})
  .toString().trim().split('\n').pop();
const project = path.join(scratch, 'project');
mkdirSync(path.join(project, 'node_modules/gpu-fit'), {recursive: true});
execFileSync('tar', ['-xzf', path.join(scratch, tarball), '-C', path.join(project, 'node_modules/gpu-fit'), '--strip-components=1']);
writeFileSync(path.join(project, 'package.json'), JSON.stringify({name: 'uses-gpu-fit', private: true, type: 'module'}));
const installed = path.join(project, 'node_modules/gpu-fit');

test('the packed package holds the module, its declarations and the schemas, and nothing else', () => {
  const files = execFileSync('tar', ['-tzf', path.join(scratch, tarball)]).toString().trim().split('\n').sort();
  for (const f of ['package/package.json', 'package/js/calculator.js', 'package/core/gpufit-core.wasm',
    'package/types/gpufit.d.ts', 'package/schema/scenario.schema.json', 'package/schema/result.schema.json']) {
    assert.ok(files.includes(f), `${f} in the tarball`);
  }
  assert.ok(files.every((f) => /^package\/(js|core|data|types|schema)\/|^package\/(package\.json|README\.md)$/.test(f)), files.join(' '));
});

test('imported by name from Node, it loads its own wasm and answers as gpucalc does', async () => {
  // A child process in the scratch project, so resolution goes through node_modules like a user's.
  const script = `import {createCalculator} from 'gpu-fit';
const calc = await createCalculator();
const s = {model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8, as_of_date: '2026-12-01'};
process.stdout.write(JSON.stringify(calc.evaluate(s)));`;
  writeFileSync(path.join(project, 'use.mjs'), script);
  const out = execFileSync(process.execPath, ['use.mjs'], {cwd: project}).toString();
  const wasm = JSON.parse(out);
  const native = JSON.parse(execFileSync(cli, ['evaluate', '-', '--format', 'json'], {
    input: JSON.stringify({model: 'llama-3.1-8b', gpu: 'l4', batch_size: 8, as_of_date: '2026-12-01'}),
  }).toString());
  assert.equal(wasm.fits, native.fits);
  assert.equal(wasm.decode.tokens_per_s_total, native.decode.tokens_per_s_total);
  assert.equal(wasm.cost.usd_per_million_tokens, native.cost.usd_per_million_tokens);
});

function tsc(file) {
  const tscBin = require.resolve('typescript/bin/tsc');
  return spawnSync(process.execPath, [tscBin, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
    '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', file], {cwd: project});
}

test('the TypeScript example type-checks against the packed declarations; a wrong type does not', () => {
  const example = readFileSync(path.join(root, 'examples/typescript/usage.ts'), 'utf8');
  writeFileSync(path.join(project, 'usage.mts'), example);
  const ok = tsc('usage.mts');
  assert.equal(ok.status, 0, `tsc: ${ok.stdout}${ok.stderr}`);
  // The same example with batch_size as a string, and with a misspelled field: both refused.
  writeFileSync(path.join(project, 'wrong.mts'), example.replace('batch_size: 8,', "batch_size: '8',"));
  const wrong = tsc('wrong.mts');
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stdout.toString(), /batch_size|not assignable/);
  writeFileSync(path.join(project, 'typo.mts'), example.replace('batch_size: 8,', 'batch_sise: 8,'));
  assert.notEqual(tsc('typo.mts').status, 0);
});

test('every file in data/ and examples/ is valid against the published JSON Schemas', () => {
  const Ajv2020 = require('ajv/dist/2020').default;
  const ajv = new Ajv2020({allErrors: true, strict: false});
  const schemaDir = path.join(installed, 'schema');
  const schemas = Object.fromEntries(readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'))
    .map((f) => [f.replace('.schema.json', ''), JSON.parse(readFileSync(path.join(schemaDir, f), 'utf8'))]));
  const check = (schemaName, file) => {
    const validate = ajv.getSchema(schemas[schemaName].$id) ?? ajv.compile(schemas[schemaName]);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(validate(doc), `${path.relative(root, file)} against ${schemaName}.schema.json: ${ajv.errorsText(validate.errors)}`);
    return validate;
  };
  let n = 0;
  for (const f of readdirSync(path.join(root, 'data')).filter((x) => x.endsWith('.json'))) {
    const name = f.replace('.json', '');
    assert.ok(schemas[name], `a schema for data/${f}`);
    check(name, path.join(root, 'data', f));
    n++;
  }
  const examples = readdirSync(path.join(root, 'examples')).filter((x) => x.endsWith('.json'));
  // An example holds one scenario or a list of them (gpucalc evaluate takes both).
  for (const f of examples) {
    const doc = JSON.parse(readFileSync(path.join(root, 'examples', f), 'utf8'));
    const validate = ajv.getSchema(schemas.scenario.$id) ?? ajv.compile(schemas.scenario);
    for (const [i, s] of (Array.isArray(doc) ? doc : [doc]).entries()) {
      assert.ok(validate(s), `examples/${f}${Array.isArray(doc) ? ` [${i}]` : ''}: ${ajv.errorsText(validate.errors)}`);
    }
    n++;
  }
  assert.ok(n >= 10, `${n} files checked`);
  // The schemas are not vacuous: a scenario with a negative batch and a GPU without its bandwidth fail.
  const scenario = ajv.getSchema(schemas.scenario.$id);
  assert.equal(scenario({model: 'llama-3.1-8b', gpu: 'l4', batch_size: -1}), false);
  assert.equal(scenario({model: 'llama-3.1-8b', gpu: 'l4', batch_sise: 8}), false);
  const gpus = ajv.getSchema(schemas.gpus.$id);
  const doc = JSON.parse(readFileSync(path.join(root, 'data/gpus.json'), 'utf8'));
  const key = Array.isArray(doc) ? null : Object.keys(doc).find((k) => Array.isArray(doc[k]));
  const first = key ? doc[key][0] : doc[0];
  delete first.memory_bandwidth_gbs;
  assert.equal(gpus(doc), false);
  assert.ok(existsSync(path.join(installed, 'types/gpufit.d.ts')));
});
