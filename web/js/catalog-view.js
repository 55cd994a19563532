// The catalog, browsable: GPUs, models, formats, engines with their validation, prices and the
// measured benchmarks, each with its sources; and the user's own entries, kept in this browser.
import {downloadFile, h, replace, sourceText} from './dom.js';
import {money, num, params, pct} from './format.js';

const TABS = [
  ['gpus', 'GPUs'],
  ['models', 'Models'],
  ['formats', 'Formats'],
  ['engines', 'Engines & accuracy'],
  ['prices', 'Prices'],
  ['benchmarks', 'Benchmarks'],
  ['mine', 'My GPUs & models'],
];

// Hardware video decoders, encoders and JPEG decoders a speech or video pipeline can use; absent
// where no source gives the count ('not sourced', never a guess).
function mediaCell(g) {
  const parts = [['NVDEC', g.nvdec_count], ['NVENC', g.nvenc_count], ['NVJPG', g.nvjpg_count]]
    .filter(([, n]) => Number.isInteger(n)).map(([name, n]) => `${n} ${name}`);
  return parts.length ? parts.join(' · ') : h('span', {class: 'hint', title: g.video_engines || ''}, 'not sourced');
}

function table(columns, rows, caption) {
  return h('div', {class: 'table-wrap'}, h('table', {class: 'catalog'}, h('caption', {class: 'sr-only'}, caption),
    h('thead', {}, h('tr', {}, columns.map(([label]) => h('th', {scope: 'col'}, label)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell], i) => {
      const v = cell(row);
      return i === 0 ? h('th', {scope: 'row'}, v) : h('td', {}, v);
    }))))));
}

const sourceCell = (e) => h('details', {}, h('summary', {}, 'source'), h('p', {}, sourceText(e.source)),
  e.field_sources ? h('ul', {}, Object.entries(e.field_sources).map(([k, v]) => h('li', {}, `${k}: `, sourceText(v)))) : '',
  e.notes ? h('p', {class: 'hint'}, e.notes) : '', e.usable_memory_note ? h('p', {class: 'hint'}, e.usable_memory_note) : '');

export class CatalogView {
  constructor(root, {loadBenchmarks, validation, custom}) {
    this.root = root;
    this.loadBenchmarks = loadBenchmarks;  // async () => benchmarks array
    this.validation = validation;          // () => validation object (after benchmarks load)
    this.custom = custom;                  // {get, importText, remove, exportText, problems}
    this.tab = 'gpus';
    this.catalog = null;
  }

  render(catalog) {
    this.catalog = catalog;
    const tabs = h('div', {class: 'tabs', role: 'tablist', 'aria-label': 'Catalog'}, TABS.map(([id, label]) =>
      h('button', {type: 'button', role: 'tab', 'aria-selected': String(id === this.tab), id: `catalog-tab-${id}`,
        onclick: () => { this.tab = id; this.render(catalog); }}, label)));
    const panel = h('div', {role: 'tabpanel', 'aria-labelledby': `catalog-tab-${this.tab}`});
    replace(this.root, tabs, panel);
    this.fill(panel, catalog);
  }

  async fill(panel, c) {
    switch (this.tab) {
      case 'gpus':
        replace(panel, table([
          ['GPU', (g) => g.name], ['Memory', (g) => `${g.memory_gb} GB ${g.memory_type}`], ['Usable', (g) => `${num(g.usable_memory_gb)} GB`],
          ['Bandwidth', (g) => `${num(g.memory_bandwidth_gbs)} GB/s`], ['FP16 dense', (g) => num(g.fp16_tflops)],
          ['FP8 dense', (g) => (g.fp8_tflops ? num(g.fp8_tflops) : '–')], ['INT8 dense', (g) => (g.int8_tops ? num(g.int8_tops) : '–')],
          ['TDP', (g) => `${num(g.tdp_w)} W`], ['NVLink', (g) => (g.nvlink_bandwidth_gbs ? `${num(g.nvlink_bandwidth_gbs)} GB/s` : '–')],
          ['Media engines', mediaCell],
          ['Price', (g) => (g.purchase_price_usd ? money(g.purchase_price_usd) : '–')], ['Sources', sourceCell],
        ], c.gpus, 'GPUs with their datasheet figures (dense tensor TFLOPS) and sources'));
        break;
      case 'models':
        replace(panel, table([
          ['Model', (m) => m.name], ['Params', (m) => params(m.params)], ['Active', (m) => params(m.active_params ?? m.params)],
          ['Layers', (m) => m.layers], ['Hidden', (m) => m.hidden_size], ['Heads / KV', (m) => `${m.attention_heads} / ${m.kv_heads}`],
          ['Context', (m) => num(m.max_context_tokens)], ['Attention', (m) => (m.kv_lora_rank ? 'MLA' : m.sliding_window_layers ? `window ${m.sliding_window_tokens} on ${m.sliding_window_layers} layers` : m.kv_heads === 1 ? 'MQA' : m.kv_heads < m.attention_heads ? 'GQA' : 'MHA')],
          ['Sources', sourceCell],
        ], c.models, 'Models with their architecture and sources'));
        break;
      case 'formats':
        replace(panel, table([
          ['Format', (f) => `${f.id}: ${f.name}`], ['Bits/weight', (f) => Number(f.bits_per_weight.toFixed(4))], ['Computes in', (f) => f.compute],
          ['Kept apart', (f) => (f.tensor_overrides || []).map((o) => `${o.tensor}${o.layers !== 'all' ? ` (${o.layers})` : ''}${o.when ? ` [${o.when}]` : ''}: ${o.type || o.bits_per_weight}`).join('; ')],
          ['Sources', (f) => h('details', {}, h('summary', {}, 'layout & source'), h('p', {}, f.layout || ''), h('p', {}, sourceText(f.source)))],
        ], c.formats, 'Weight formats'));
        break;
      case 'engines':
        replace(panel, table([
          ['Engine', (e) => e.name], ['Bandwidth eff.', (e) => `${num(e.bandwidth_efficiency)}${e.hbm_bandwidth_efficiency ? ` (HBM ${num(e.hbm_bandwidth_efficiency)})` : ''}`],
          ['Compute eff.', (e) => `${num(e.compute_efficiency)}${e.compute_scaling ? ` × (peak/100 TF)^-${num(e.compute_scaling)}` : ''}`],
          ['Overheads', (e) => `${num(e.step_overhead_ms)} ms/step${e.layer_overhead_us ? ` + ${num(e.layer_overhead_us)} µs/layer` : ''}${e.sequence_overhead_us ? ` + ${num(e.sequence_overhead_us)} µs/sequence${e.sequence_scaling ? ` at 1 TB/s` : ''}` : ''}`],
          ['Fitted on', (e) => `${(e.fitted_on || []).length} benchmarks`],
          ['Error (sources left out)', (e) => Object.entries(e.validation || {}).map(([k, v]) => `${k}: ${v}`).join('; ') || 'not fitted'],
          ['Sources', sourceCell],
        ], c.engines.filter((e) => e.id !== 'ideal'), 'Engines, their fitted efficiency factors and cross-validated error'),
        h('div', {id: 'validation'}, h('p', {class: 'hint'}, 'Loading the measured benchmarks…')));
        this.fillValidation(panel.querySelector('#validation'));
        break;
      case 'prices':
        replace(panel, table([
          ['Provider', (p) => p.provider], ['GPU', (p) => p.gpu], ['$/hour per GPU', (p) => money(p.usd_per_hour)], ['Pricing', (p) => p.pricing],
          ['Seen', (p) => p.date_seen], ['Source', (p) => h('span', {}, sourceText(p.source))],
        ], c.prices, 'Prices per GPU-hour with the date seen'));
        break;
      case 'benchmarks': {
        replace(panel, h('p', {class: 'hint'}, 'Loading…'));
        const list = await this.loadBenchmarks().catch((e) => { replace(panel, h('p', {class: 'error'}, `Could not load the benchmarks: ${e.message}`)); return null; });
        if (!list) return;
        replace(panel, table([
          ['Result', (b) => b.id], ['Kind', (b) => b.kind], ['Engine', (b) => b.engine || ''], ['GPU', (b) => (b.gpu ? `${b.gpu_count ?? 1}× ${b.gpu}` : '')],
          ['Model', (b) => `${b.model} ${b.weights}`], ['Batch', (b) => num(b.batch_size)], ['In / out', (b) => `${b.prompt_tokens ?? '–'} / ${b.output_tokens ?? '–'}`],
          ['Measured', (b) => `${num(b.value)} ${b.unit}`], ['Source', (b) => h('span', {}, sourceText(b.source), ` (${b.date})`)],
        ], list, 'Measured public results'));
        break;
      }
      case 'mine':
        this.fillMine(panel);
        break;
      default:
    }
  }

  async fillValidation(el) {
    try {
      await this.loadBenchmarks();
      const v = this.validation();
      replace(el, h('h3', {}, 'Every measured result against its estimate'), table([
        ['Kind', (g) => g.kind], ['Engine', (g) => g.engine || '–'], ['Points', (g) => g.n], ['Median |error|', (g) => pct(g.median_abs_pct)],
        ['p90 |error|', (g) => pct(g.p90_abs_pct)], ['Bias', (g) => pct(g.bias_pct, true)],
        ['Worst', (g) => h('details', {}, h('summary', {}, `${g.worst.length} cases`), h('ul', {}, g.worst.map((p) =>
          h('li', {}, `${pct(p.error_pct, true)} ${p.id}: measured ${num(p.measured)}, estimate ${num(p.estimate)} — `, sourceText(p.source)))))],
      ], v.groups, 'Validation by kind and engine'));
    } catch (e) {
      replace(el, h('p', {class: 'error'}, `Validation unavailable: ${e.message}`));
    }
  }

  fillMine(panel, message = '') {
    const mine = this.custom.get();
    const status = h('p', {class: 'status', role: 'status'}, message);
    const textarea = h('textarea', {id: 'custom-json', rows: 8, spellcheck: 'false', 'aria-describedby': 'custom-help custom-error',
      placeholder: '{"gpus": [{"id": "my-gpu", "name": "My GPU", "memory_gb": 32, "memory_bandwidth_gbs": 1000, "fp16_tflops": 200, "tdp_w": 300}], "models": []}'});
    const error = h('p', {class: 'field-error', id: 'custom-error', role: 'alert'});
    const fileInput = h('input', {type: 'file', accept: 'application/json,.json', id: 'custom-file', class: 'sr-only',
      onchange: async (e) => {
        const file = e.target.files[0];
        if (!file) return;
        textarea.value = await file.text();
        add();
      }});
    const add = () => {
      error.textContent = '';
      const result = this.custom.importText(textarea.value);
      if (result.error) {
        error.textContent = result.error;  // the text stays in the box
      } else {
        this.fillMine(panel, `Saved ${result.count} entr${result.count === 1 ? 'y' : 'ies'} in this browser.`);
      }
    };
    const rows = [...mine.gpus.map((g) => ({kind: 'gpus', e: g})), ...mine.models.map((m) => ({kind: 'models', e: m}))];
    replace(panel,
      (this.custom.problems() || []).map((p) => h('p', {class: 'warning'}, p)),
      rows.length ? table([
        ['Entry', ({e}) => e.name || e.id], ['Kind', ({kind}) => (kind === 'gpus' ? 'GPU' : 'model')], ['Id', ({e}) => e.id],
        ['', ({kind, e}) => h('button', {type: 'button', onclick: () => { this.custom.remove(kind, e.id); this.fillMine(panel); }}, `Remove ${e.id}`)],
      ], rows, 'Your custom entries') : h('p', {class: 'hint'}, 'No custom GPUs or models yet.'),
      h('label', {for: 'custom-json', class: 'field-label'}, 'Add or import (the catalog\'s own field names)'),
      h('p', {class: 'hint', id: 'custom-help'}, 'A GPU needs memory_gb, memory_bandwidth_gbs, fp16_tflops and tdp_w; a model its shape, or {"id": ..., "hf_config": {...}}.'),
      textarea, error,
      h('div', {class: 'buttons'},
        h('button', {type: 'button', id: 'custom-add', onclick: add}, 'Add'),
        h('label', {for: 'custom-file', class: 'button'}, 'Import a file…'), fileInput,
        h('button', {type: 'button', onclick: () => downloadFile('gpu-fit-custom.json', 'application/json', this.custom.exportText())}, 'Export')),
      status);
  }
}
