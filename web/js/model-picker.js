// Choosing the model three ways: search the catalog (and the user's own models), paste a Hugging
// Face config.json, or enter the shape by hand. Whatever is typed stays as typed; the core checks
// it and its message appears beside the input it names.
import {h, replace} from './dom.js';
import {params} from './format.js';

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
    this.tabs = ['catalog', 'config', 'shape'].map((mode) => h('button', {type: 'button', role: 'tab',
      'aria-selected': String(mode === this.mode), 'aria-controls': `model-pane-${mode}`, dataset: {mode},
      onclick: () => this.setMode(mode)}, {catalog: 'Catalog', config: 'config.json', shape: 'Shape'}[mode]));
    this.panes = {
      catalog: h('div', {id: 'model-pane-catalog', role: 'tabpanel'}, this.search, this.list, this.hint),
      config: h('div', {id: 'model-pane-config', role: 'tabpanel', hidden: true}, this.config),
      shape: h('div', {id: 'model-pane-shape', role: 'tabpanel', hidden: true, class: 'shape-grid'}, shapeRows),
    };
    this.error = h('p', {class: 'field-error', id: 'model-error', role: 'alert'});
    this.el = h('div', {class: 'field model-field'},
      h('label', {class: 'field-label', id: 'model-label', for: 'field-model'}, 'Model'),
      h('div', {class: 'tabs', role: 'tablist', 'aria-labelledby': 'model-label'}, this.tabs),
      Object.values(this.panes), this.error);
    this.models = [];
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
