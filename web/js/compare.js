// Two to four GPUs side by side for the workload, as the seeds' comparison tables, generated:
// datasheet rows from the catalog, then what the core computes for each, the best of each row
// marked.
import {h, replace} from './dom.js';
import {gb, money, num, seconds} from './format.js';
import {compareRows} from './workload.js';

const SPEC_ROWS = [
  ['Architecture', (g) => g.architecture || '–'],
  ['Memory', (g) => `${g.memory_gb} GB${g.memory_type ? ` ${g.memory_type}` : ''}`, (g) => g.memory_gb, 'max'],
  ['Bandwidth', (g) => `${num(g.memory_bandwidth_gbs)} GB/s`, (g) => g.memory_bandwidth_gbs, 'max'],
  ['FP16 tensor (dense)', (g) => `${num(g.fp16_tflops)} TFLOPS`, (g) => g.fp16_tflops, 'max'],
  ['FP8 tensor (dense)', (g) => (g.fp8_tflops ? `${num(g.fp8_tflops)} TFLOPS` : 'not supported'), (g) => g.fp8_tflops || 0, 'max'],
  ['TDP', (g) => `${num(g.tdp_w)} W`, (g) => g.tdp_w, 'min'],
  ['NVLink', (g) => (g.nvlink_bandwidth_gbs ? `${num(g.nvlink_bandwidth_gbs)} GB/s` : 'no')],
  ['MIG', (g) => (g.mig_profiles && g.mig_profiles.length ? `up to ${g.mig_profiles.length} profiles` : 'no')],
];

const RESULT_ROWS = [
  ['GPUs that fit', (r) => String(r.scenario.gpu_count), (r) => r.scenario.gpu_count, 'min'],
  ['Fits', (r) => (r.fits ? `yes (${gb(r.memory.free_gb)} free)` : 'no'), (r) => (r.fits ? 1 : 0), 'max'],
  ['Decode per sequence', (r) => `${num(r.decode.tokens_per_s_per_sequence)} tokens/s`, (r) => r.decode.tokens_per_s_per_sequence, 'max'],
  ['Serving throughput', (r) => `${num(r.serving.output_tokens_per_s)} tokens/s`, (r) => r.serving.output_tokens_per_s, 'max'],
  ['Time to first token', (r) => seconds(r.latency.ttft_s), (r) => r.latency.ttft_s, 'min'],
  ['$ per hour', (r) => money(r.cost.usd_per_hour), (r) => r.cost.usd_per_hour, 'min'],
  ['$ per 1M tokens', (r) => money(r.cost.usd_per_million_tokens), (r) => r.cost.usd_per_million_tokens, 'min'],
  ['Tokens/s per $/hour', (r) => num(r.cost.tokens_per_s_per_usd_per_hour), (r) => r.cost.tokens_per_s_per_usd_per_hour, 'max'],
  ['Power', (r) => `${num(r.power.watts)} W`, (r) => r.power.watts, 'min'],
  ['J per token', (r) => num(r.power.joules_per_token), (r) => r.power.joules_per_token, 'min'],
  ['Energy per year', (r) => money(r.power.annual_energy_usd), (r) => r.power.annual_energy_usd, 'min'],
];

export class CompareView {
  constructor(root, onChange) {
    this.root = root;
    this.onChange = onChange;
    this.selected = ['l4', 'a100-80gb-sxm'];
  }

  picker(gpus) {
    return h('fieldset', {class: 'compare-pick'}, h('legend', {}, 'Compare 2 to 4 GPUs'),
      h('div', {class: 'chips'}, gpus.map((g) => h('label', {class: 'chip'},
        h('input', {type: 'checkbox', value: g.id, checked: this.selected.includes(g.id),
          disabled: !this.selected.includes(g.id) && this.selected.length >= 4,
          onchange: (e) => {
            const set = new Set(this.selected);
            if (e.target.checked) set.add(g.id); else set.delete(g.id);
            this.selected = [...set];
            this.onChange();
          }}), g.name || g.id))));
  }

  // results: [{gpu, result}] for the selected GPUs (each at its fewest GPUs that fit).
  render(gpus, results) {
    const cols = results.map(({gpu}) => gpus.find((g) => g.id === gpu));
    // Image, speech and embedding results compare on their own figures (workload.js).
    const workload = (results[0] && results[0].result.scenario.workload) || 'llm';
    const row = (label, text, value, best, items) => {
      const values = value ? items.map(value) : [];
      const target = best === 'max' ? Math.max(...values.filter(Number.isFinite)) : Math.min(...values.filter(Number.isFinite));
      return h('tr', {}, h('th', {scope: 'row'}, label), items.map((it, i) => {
        const winner = best && values.length > 1 && Number.isFinite(values[i]) && values[i] === target &&
          values.filter((v) => v === target).length === 1;
        return h('td', {class: winner ? 'best' : ''}, text(it), winner ? h('span', {class: 'sr-only'}, ' (best)') : '');
      }));
    };
    const table = h('table', {class: 'compare'},
      h('thead', {}, h('tr', {}, h('td', {}), cols.map((g) => h('th', {scope: 'col'}, g.name || g.id)))),
      h('tbody', {}, h('tr', {class: 'group'}, h('th', {colspan: cols.length + 1, scope: 'rowgroup'}, 'Datasheet')),
        SPEC_ROWS.map(([label, text, value, best]) => row(label, text, value, best, cols)),
        h('tr', {class: 'group'}, h('th', {colspan: cols.length + 1, scope: 'rowgroup'}, 'For this workload')),
        (workload === 'llm' ? RESULT_ROWS : compareRows(workload)).map(([label, text, value, best]) =>
          row(label, text, value, best, results.map((x, i) => ({...x.result, gpuEntry: cols[i]}))))));
    replace(this.root, this.picker(gpus), results.length < 2 ? h('p', {class: 'hint'}, 'Pick at least two GPUs.') : h('div', {class: 'table-wrap'}, table));
  }
}
