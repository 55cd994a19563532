// The ranking of every GPU (and count, and format) for the workload: sortable by any column, rows
// that do not fit greyed with their reason, the winner and its margin as the core states them,
// exportable as CSV and JSON.
import {downloadFile, h, replace} from './dom.js';
import {money, num, seconds} from './format.js';

// Columns; `by` names the core's metric when the column is one (the winner follows it).
export const COLUMNS = [
  {key: 'gpu_name', label: 'GPU', text: true},
  {key: 'gpu_count', label: 'GPUs', by: 'gpus', fmt: num},
  {key: 'weights', label: 'Weights', text: true},
  {key: 'batch_size', label: 'Batch', fmt: num},
  {key: 'tokens_per_s', label: 'Tokens/s', by: 'tokens_per_s', fmt: num, desc: true},
  {key: 'time_per_output_token_ms', label: 'ms/token', by: 'latency', fmt: num},
  {key: 'ttft_s', label: 'TTFT', fmt: seconds},
  {key: 'usd_per_hour', label: '$/hour', fmt: money},
  {key: 'usd_per_million_tokens', label: '$/1M tokens', by: 'usd_per_million_tokens', fmt: money},
  {key: 'tokens_per_s_per_usd_per_hour', label: 'Tokens/s per $/h', fmt: num, desc: true},
  {key: 'watts', label: 'Watts', by: 'watts', fmt: num},
];

export class RankingView {
  constructor(root, onOptions) {
    this.root = root;
    this.onOptions = onOptions;  // called with the options when the user changes them
    this.sort = {key: 'usd_per_million_tokens', desc: false};
    this.options = {by: 'usd_per_million_tokens', counts: 'min', formats: 'scenario', batch: 'scenario', mig: 'off'};
    this.ranking = null;
    // Rows drawn before "Show all": a table of thousands of rows (every count and format) takes
    // longer to lay out than the whole calculation, and slider moves must redraw within a frame.
    this.limit = 60;
    this.showAll = false;
    this.columns = COLUMNS;
    this.workload = 'llm';
  }

  // Another workload's columns (workload.js rankColumns), sorted by its cost figure: the core ranks
  // image, speech and embedding rows by it under the usd_per_million_tokens metric.
  setWorkload(workload, columns) {
    if (workload === this.workload) return;
    this.workload = workload;
    this.columns = columns || COLUMNS;
    this.sort = {key: columns ? 'usd_per_unit' : 'usd_per_million_tokens', desc: false};
    this.options.by = 'usd_per_million_tokens';
  }

  // Options for calc.rank(): the core's names.
  coreOptions(formatIds) {
    const o = {by: this.options.by};
    if (this.options.counts === 'all') o.counts = [1, 2, 4, 8];
    if (this.options.formats === 'all') o.formats = formatIds;
    if (this.options.batch === 'max_fit') o.batch = 'max_fit';
    if (this.options.mig === 'on') o.mig = true;  // MIG slices as rows beside whole GPUs
    return o;
  }

  sortedRows() {
    const {key, desc} = this.sort;
    const rows = [...this.ranking.rows];
    const value = (r) => r[key];
    rows.sort((a, b) => {
      if (a.fits !== b.fits) return a.fits ? -1 : 1;
      const va = value(a), vb = value(b);
      if (va === null || va === undefined) return 1;
      if (vb === null || vb === undefined) return -1;
      const c = typeof va === 'string' ? va.localeCompare(vb) : va - vb;
      return desc ? -c : c;
    });
    return rows;
  }

  setSort(col) {
    const desc = this.sort.key === col.key ? !this.sort.desc : Boolean(col.desc);
    this.sort = {key: col.key, desc};
    if (col.by && col.by !== this.options.by) {
      this.options.by = col.by;  // the winner is recomputed by the core for this metric
      this.onOptions();
    } else {
      this.render(this.ranking);
    }
  }

  controls() {
    const select = (name, label, choices) => h('label', {class: 'inline'}, `${label} `,
      h('select', {onchange: (e) => { this.options[name] = e.target.value; this.showAll = false; this.onOptions(); }},
        choices.map(([v, t]) => h('option', {value: v, selected: this.options[name] === v}, t))));
    return h('div', {class: 'rank-controls'},
      select('counts', 'GPUs per replica', [['min', 'fewest that fit'], ['all', '1, 2, 4 and 8']]),
      select('formats', 'Formats', [['scenario', 'this one'], ['all', 'every format']]),
      select('batch', 'Batch', [['scenario', "the scenario's"], ['max_fit', 'largest that fits (≤ 256)']]),
      select('mig', 'MIG slices', [['off', 'whole GPUs only'], ['on', 'beside whole GPUs']]),
      h('button', {type: 'button', onclick: () => this.exportCsv()}, 'CSV'),
      h('button', {type: 'button', onclick: () => this.exportJson()}, 'JSON'));
  }

  render(ranking) {
    this.ranking = ranking;
    const head = h('tr', {}, this.columns.map((col) => {
      const sorted = this.sort.key === col.key;
      return h('th', {scope: 'col', 'aria-sort': sorted ? (this.sort.desc ? 'descending' : 'ascending') : 'none'},
        h('button', {type: 'button', class: 'sort', onclick: () => this.setSort(col)}, col.label, sorted ? (this.sort.desc ? ' ▼' : ' ▲') : ''));
    }), h('th', {scope: 'col'}, 'Note'));
    const winner = ranking.winner;
    const rows = this.sortedRows();
    const shown = this.showAll ? rows : rows.slice(0, this.limit);
    const body = shown.map((r) => h('tr', {class: r.fits ? (winner && r.gpu === winner.gpu && r.gpu_count === winner.gpu_count && r.weights === winner.weights && (r.mig_profile || null) === (winner.mig_profile || null) ? 'winner' : '') : 'unfit'},
      this.columns.map((col) => col.text ? h(col.key === 'gpu_name' ? 'th' : 'td', col.key === 'gpu_name' ? {scope: 'row'} : {}, r[col.key]) : h('td', {class: 'num'}, col.fmt(r[col.key]))),
      h('td', {class: 'note'}, r.fits ? (r.warnings || []).join('; ') : r.reason)));
    replace(this.root,
      h('p', {class: 'statement', role: 'status'}, h('strong', {}, ranking.statement)),
      this.controls(),
      h('div', {class: 'table-wrap'}, h('table', {class: 'ranking'}, h('caption', {class: 'sr-only'}, `Every GPU for this workload, by ${ranking.by}`),
        h('thead', {}, head), h('tbody', {}, body))),
      rows.length > shown.length ? h('p', {class: 'more'}, `Showing ${shown.length} of ${rows.length} rows (the exports hold all). `,
        h('button', {type: 'button', onclick: () => { this.showAll = true; this.render(this.ranking); }}, `Show all ${rows.length}`)) : '');
  }

  exportCsv() {
    const cols = ['gpu', 'gpu_name', 'gpu_count', 'weights', 'fits', 'reason', 'batch_size', 'memory_total_gb', 'memory_available_gb',
      'tokens_per_s', 'tokens_per_s_per_sequence', 'time_per_output_token_ms', 'ttft_s', 'usd_per_hour', 'usd_per_million_tokens',
      'tokens_per_s_per_usd_per_hour', 'watts', 'bound', 'usd_per_unit', 'cost_unit', 'throughput_unit'];
    const cell = (v) => {
      const s = v === null || v === undefined ? '' : String(v);
      // Quote, and defuse spreadsheet formulas a cell could otherwise start.
      const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
      return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
    };
    const lines = [cols.join(','), ...this.sortedRows().map((r) => cols.map((c) => cell(r[c])).join(','))];
    downloadFile('gpu-fit-ranking.csv', 'text/csv', `${lines.join('\n')}\n`);
  }

  exportJson() {
    downloadFile('gpu-fit-ranking.json', 'application/json', `${JSON.stringify(this.ranking, null, 2)}\n`);
  }
}
