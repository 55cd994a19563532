// Choosing the model three ways: search the catalog (and the user's own models), paste a Hugging
// Face config.json, or enter the shape by hand. Whatever is typed stays as typed; the core checks
// it and its message appears beside the input it names.
import {h, replace} from './dom.js';
import {gb, num, params} from './format.js';

// The shape inputs are the model table's rows that carry a form label (calc.schema().tables.model):
// the same fields an inline model object or a catalog entry has.
export class ModelPicker {
  constructor(onChange, modelRows = []) {
    this.onChange = onChange;
    this.mode = 'catalog';
    this.extra = {};  // inline-model fields without an input of their own (see value())
    this.search = h('input', {id: 'field-model', type: 'text', list: 'model-list', autocomplete: 'off',
      spellcheck: 'false', 'aria-describedby': 'model-hint model-error', placeholder: 'search: llama 70b, mixtral...',
      oninput: () => this.changed()});
    this.list = h('datalist', {id: 'model-list'});
    this.hint = h('span', {class: 'hint', id: 'model-hint'});
    this.config = h('textarea', {id: 'field-model-config', rows: 6, spellcheck: 'false', 'aria-label': 'config.json of the model',
      'aria-describedby': 'model-error', placeholder: 'paste a config.json as published on Hugging Face',
      oninput: () => this.changed()});
    this.shape = {};
    const shapeRows = modelRows.filter((row) => row.label).map(({name, label, doc}) => {
      const input = h('input', {id: `field-model-${name}`, type: 'text', inputmode: 'decimal', placeholder: doc,
        title: doc, oninput: () => this.changed()});
      this.shape[name] = input;
      return h('label', {class: 'shape-field', for: input.id}, h('span', {}, label), input);
    });
    // From the files: a Hub id (headers fetched with Range requests) or a GGUF / safetensors file
    // read locally. The token is kept in this input only: never stored, never in the link.
    this.hub = h('input', {id: 'field-model-hub', type: 'text', spellcheck: 'false', autocomplete: 'off',
      placeholder: 'org/name or org/name@revision', 'aria-describedby': 'model-files-status',
      onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); this.fromHub(); } }});
    this.token = h('input', {id: 'field-model-hub-token', type: 'password', autocomplete: 'off', spellcheck: 'false',
      placeholder: 'hf_… for gated models (kept in this page only)'});
    this.file = h('input', {id: 'field-model-file', type: 'file', accept: '.gguf,.safetensors,.json', multiple: true,
      onchange: (e) => this.fromFiles(e.target.files)});
    this.filesStatus = h('p', {class: 'hint', id: 'model-files-status', role: 'status'});
    this.loader = null;  // set by the page: {hub(id, token), files(fileList)} -> the core's answer
    this.tabs = ['catalog', 'config', 'shape', 'files'].map((mode) => h('button', {type: 'button', role: 'tab',
      'aria-selected': String(mode === this.mode), 'aria-controls': `model-pane-${mode}`, dataset: {mode},
      onclick: () => this.setMode(mode)}, {catalog: 'Catalog', config: 'config.json', shape: 'Shape', files: 'Hub or file'}[mode]));
    this.panes = {
      catalog: h('div', {id: 'model-pane-catalog', role: 'tabpanel'}, this.search, this.list, this.hint),
      config: h('div', {id: 'model-pane-config', role: 'tabpanel', hidden: true}, this.config),
      shape: h('div', {id: 'model-pane-shape', role: 'tabpanel', hidden: true, class: 'shape-grid'}, shapeRows),
      files: h('div', {id: 'model-pane-files', role: 'tabpanel', hidden: true, class: 'files-pane',
        ondragover: (e) => e.preventDefault(),
        ondrop: (e) => { e.preventDefault(); if (e.dataTransfer && e.dataTransfer.files.length) this.fromFiles(e.dataTransfer.files); }},
      h('label', {for: 'field-model-hub'}, 'Hugging Face Hub id'), h('div', {class: 'row'}, this.hub,
        h('button', {type: 'button', id: 'model-hub-read', onclick: () => this.fromHub()}, 'Read')),
      h('label', {for: 'field-model-hub-token'}, 'Access token (gated models)'), this.token,
      h('label', {for: 'field-model-file'}, 'Or a GGUF file, or .safetensors files with their config.json (read here, never uploaded; drop them on this box)'),
      this.file),
    };
    this.error = h('p', {class: 'field-error', id: 'model-error', role: 'alert'});
    this.el = h('div', {class: 'field model-field'},
      h('label', {class: 'field-label', id: 'model-label', for: 'field-model'}, 'Model'),
      h('div', {class: 'tabs', role: 'tablist', 'aria-labelledby': 'model-label'}, this.tabs),
      Object.values(this.panes), this.filesStatus, this.error);
    this.models = [];
  }

  // The answer of the core for weight files -> the model, shown in the Shape tab with its source.
  async load(what, run) {
    if (!this.loader) return;
    this.filesStatus.textContent = `Reading ${what}…`;
    this.error.textContent = '';
    try {
      const a = await run();
      const read = a.bytes_fetched ?? a.bytes_read;
      this.set(a.model);
      this.filesStatus.textContent = `${a.id || what}: ${params(a.params)} parameters, ${gb(a.weights_bytes / 1e9)} of weights` +
        `${a.weights ? ` (${a.weights})` : a.main_dtype ? ` (${a.main_dtype})` : ''}` +
        `${a.tied_embeddings ? ', tied embeddings' : ''}; ${num(read / 1024)} KB read, headers only.`;
      this.onChange();
    } catch (e) {
      this.filesStatus.textContent = '';
      this.error.textContent = `model: ${e.message}`;
    }
  }

  fromHub() {
    const id = this.hub.value.trim();
    this.load(id || 'the Hub', () => this.loader.hub(id, this.token.value.trim()));
  }

  fromFiles(files) {
    const list = [...files];
    if (!list.length) return;
    this.load(list.map((f) => f.name).join(', '), () => this.loader.files(list));
  }

  setModels(models) {
    this.models = models;
    replace(this.list, models.map((m) => h('option', {value: m.id}, `${m.name} (${params(m.params)})`)));
    this.updateHint();
  }

  setMode(mode) {
    this.mode = mode;
    for (const tab of this.tabs) tab.setAttribute('aria-selected', String(tab.dataset.mode === mode));
    for (const [m, pane] of Object.entries(this.panes)) pane.hidden = m !== mode;
    this.changed();
  }

  changed() {
    this.updateHint();
    this.onChange();
  }

  updateHint() {
    const m = this.models.find((x) => x.id === this.search.value.trim());
    this.hint.textContent = m ? `${m.name}: ${params(m.params)} parameters, ${m.layers} layers` : '';
  }

  // The scenario's model: a catalog id, {"hf_config": ...} or the native shape. Text that is not
  // JSON or not a number is passed on as typed, for the core to refuse with its message.
  value() {
    if (this.mode === 'config') {
      const text = this.config.value.trim();
      if (!text) return '';
      try {
        const cfg = JSON.parse(text);
        return cfg && typeof cfg === 'object' && !Array.isArray(cfg) && cfg.hf_config ? cfg : {hf_config: cfg};
      } catch {
        return {hf_config: text};  // the core names the problem
      }
    }
    if (this.mode === 'shape') {
      // Fields of an inline model the form has no input for (a name, a sliding window) ride along.
      const shape = {...this.extra};
      for (const [name, input] of Object.entries(this.shape)) {
        const text = input.value.trim();
        if (text === '') continue;
        const n = Number(text);
        shape[name] = text !== '' && Number.isFinite(n) ? n : text;
      }
      return shape;
    }
    return this.search.value.trim();
  }

  set(value) {
    this.extra = {};
    if (value && typeof value === 'object') {
      if (value.hf_config) {
        this.config.value = JSON.stringify(value.hf_config, null, 2);
        this.setMode('config');
      } else {
        for (const [name, input] of Object.entries(this.shape)) input.value = value[name] ?? '';
        for (const [name, v] of Object.entries(value)) if (!(name in this.shape)) this.extra[name] = v;
        this.setMode('shape');
      }
    } else {
      this.search.value = value || '';
      this.setMode('catalog');
    }
  }

  // Puts the core's message beside the input it names ("model.kv_heads").
  showError(field, message) {
    this.error.textContent = message ? `${field.replace(/^model\.?/, '') || 'model'}: ${message}` : '';
    const inputs = [this.search, this.config, ...Object.values(this.shape)];
    for (const input of inputs) input.removeAttribute('aria-invalid');
    if (!message) return;
    const sub = field.split('.')[1];
    const target = this.mode === 'shape' && this.shape[sub] ? this.shape[sub] : this.mode === 'config' ? this.config : this.search;
    target.setAttribute('aria-invalid', 'true');
  }
}
