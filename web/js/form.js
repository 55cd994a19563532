// The scenario form: one input per contract field, grouped in sections, sliders where a range is
// natural. It keeps what the user typed exactly (text inputs, not number inputs, so nothing
// typed is silently dropped), reads it into a scenario object, and shows the core's error beside
// the field it names. Empty inputs show, greyed, the value the core assumed.
import {h, replace} from './dom.js';
import {LLM_SECTIONS, SECTIONS, WORKLOAD_MODEL, fieldShown} from './fields.js';
import {ModelPicker} from './model-picker.js';

const SLIDER_STEPS = 1000;

function toSlider(value, s) {
  if (!Number.isFinite(value)) return 0;
  if (s.log) return Math.round((Math.log(Math.max(value, s.min) / s.min) / Math.log(s.max / s.min)) * SLIDER_STEPS);
  return Math.round(((value - s.min) / (s.max - s.min)) * SLIDER_STEPS);
}

function fromSlider(position, s) {
  const t = position / SLIDER_STEPS;
  const v = s.log ? s.min * Math.pow(s.max / s.min, t) : s.min + t * (s.max - s.min);
  return s.step >= 1 ? Math.round(v) : Math.round(v / s.step) * s.step;
}

// Text as the scenario wants it: a number when it reads as one, else the text itself (the core
// then says what is wrong with it).
function typed(text) {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) && /^[-+0-9.eE]+$/.test(t) ? n : t;
}

export class ScenarioForm {
  // `fields`: fieldsFromSchema(calc.schema()) — the core's own list of scenario fields.
  constructor(root, fields, onChange, modelRows = []) {
    this.root = root;
    this.fields = fields;
    this.onChange = onChange;
    this.inputs = {};
    this.errors = {};
    this.sliders = {};
    this.touched = new Set();
    this.sections = {};
    this.picker = new ModelPicker(() => this.changed('model'), modelRows);
    this.build();
  }

  build() {
    const bySection = Object.fromEntries(SECTIONS.map((s) => [s.id, []]));
    for (const f of this.fields) (bySection[f.section] || bySection.workload).push(this.field(f));
    replace(this.root, SECTIONS.map((s) => {
      const fs = h('fieldset', {class: `section section-${s.id}`}, h('legend', {}, s.title), bySection[s.id]);
      this.sections[s.id] = {el: fs, modes: s.modes};
      return fs;
    }));
    // The workload switch heads the form: it decides which of the other fields apply.
    const workload = this.inputs.workload && this.inputs.workload.closest('.field');
    if (workload) this.root.prepend(h('div', {class: 'workload-switch'}, workload));
  }

  workload() {
    return (this.inputs.workload && this.inputs.workload.value) || 'llm';
  }

  field(f) {
    if (f.kind === 'model') return this.picker.el;
    const id = `field-${f.name}`;
    const error = h('p', {class: 'field-error', id: `${id}-error`, role: 'alert'});
    this.errors[f.name] = error;
    const describedBy = [f.help ? `${id}-help` : '', `${id}-error`].filter(Boolean).join(' ');
    let control;
    if (f.kind === 'select') {
      control = h('select', {id, 'aria-describedby': describedBy, onchange: () => this.changed(f.name)});
    } else if (f.kind === 'checkbox') {
      control = h('input', {id, type: 'checkbox', 'aria-describedby': describedBy, onchange: () => this.changed(f.name)});
    } else {
      control = h('input', {id, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
        'aria-describedby': describedBy, oninput: () => this.changed(f.name)});
    }
    this.inputs[f.name] = control;
    const label = h('label', {for: id, class: 'field-label'}, f.label, f.unit ? h('span', {class: 'unit'}, ` (${f.unit})`) : '');
    const parts = [label];
    if (f.kind === 'slider') {
      const s = f.slider;
      const range = h('input', {type: 'range', min: 0, max: SLIDER_STEPS, step: 1, 'aria-label': `${f.label} slider`,
        'aria-controls': id, oninput: () => {
          control.value = String(fromSlider(Number(range.value), s));
          this.changed(f.name, {fromSlider: true});
        }});
      this.sliders[f.name] = range;
      parts.push(h('div', {class: 'slider-row'}, range, control));
    } else {
      parts.push(control);
    }
    if (f.help) parts.push(h('span', {class: 'hint', id: `${id}-help`}, f.help));
    parts.push(error);
    return h('div', {class: `field field-${f.kind}`, dataset: {field: f.name}}, parts);
  }

  // Fills the selects from the catalog: formats, GPUs, engines, providers.
  setCatalog(catalog, customModels = [], customGpus = []) {
    const keep = this.read();
    this.models = {llm: [...customModels, ...catalog.models]};
    this.engines = {llm: catalog.engines.filter((e) => e.id !== 'pytorch').map((e) => [e.id, e.name])};
    for (const m of catalog.workload_models || []) (this.models[m.workload] ||= []).push(m);
    for (const e of catalog.workload_engines || []) (this.engines[e.workload] ||= []).push([e.id, e.name]);
    this.shownModels = null;  // the lists are filled again for the workload shown
    const options = {
      formats: catalog.formats.map((f) => [f.id, `${f.id}: ${f.name} (${Number(f.bits_per_weight.toFixed(3))} bits)`]),
      kv_cache_formats: catalog.kv_cache_formats.map((f) => [f.id, `${f.id} (${f.bits_per_value} bits)`]),
      gpus: [...customGpus.map((g) => [g.id, `${g.name || g.id} (yours)`]),
        ...catalog.gpus.map((g) => [g.id, `${g.name} (${g.memory_gb} GB)`])],
      engines: this.engines.llm,
      providers: [...new Set(catalog.prices.map((p) => p.provider))].sort().map((p) => [p, p]),
    };
    for (const f of this.fields) {
      if (f.kind !== 'select') continue;
      const list = typeof f.options === 'string' ? options[f.options] : f.options;
      const first = h('option', {value: ''}, f.optional ? 'any' : '(default)');
      replace(this.inputs[f.name], first, list.map(([value, text]) => h('option', {value: String(value)}, text)));
    }
    this.set(keep);
  }

  changed(name, {fromSlider = false} = {}) {
    this.touched.add(name);
    if (!fromSlider && this.sliders[name]) {
      const f = this.fields.find((x) => x.name === name);
      const v = typed(this.inputs[name].value);
      if (typeof v === 'number') this.sliders[name].value = String(toSlider(v, f.slider));
    }
    if (name === 'mode') this.updateSections();
    if (name === 'workload') this.switchWorkload();
    this.onChange(name);
  }

  // Another workload: its models and engines; the model, engine and format of the previous one
  // would only be refused, so they (and the batch) go back to the new workload's defaults.
  switchWorkload() {
    const w = this.workload();
    const model = this.picker.value();
    if (typeof model !== 'string' || !(this.models[w] || []).some((m) => m.id === model)) this.picker.set(WORKLOAD_MODEL[w] || '');
    for (const name of ['engine', 'weights', 'batch_size']) if (this.inputs[name]) this.inputs[name].value = '';
    this.updateSections();
  }

  updateSections() {
    const mode = this.inputs.mode.value || 'inference';
    const w = this.workload();
    for (const [id, s] of Object.entries(this.sections)) {
      s.el.hidden = (s.modes && !s.modes.includes(mode)) || (w !== 'llm' && LLM_SECTIONS.includes(id));
    }
    for (const f of this.fields) {
      const el = this.inputs[f.name] && this.inputs[f.name].closest('.field');
      if (el) el.hidden = !fieldShown(f.name, w);
    }
    if (this.models && this.shownModels !== w) {
      this.shownModels = w;
      this.picker.setModels(this.models[w] || []);
      const engine = this.inputs.engine;
      if (engine) {
        const value = engine.value;
        replace(engine, h('option', {value: ''}, '(default)'), (this.engines[w] || []).map(([v, t]) => h('option', {value: v}, t)));
        if (value && ![...engine.options].some((o) => o.value === value)) engine.append(h('option', {value}, value));
        engine.value = value;
      }
    }
  }

  // The scenario as typed: fields left empty are left out, so the core's defaults apply.
  read() {
    const scenario = {};
    const model = this.picker.value();
    if (model !== '' && !(typeof model === 'object' && Object.keys(model).length === 0)) scenario.model = model;
    for (const f of this.fields) {
      if (f.kind === 'model') continue;
      const input = this.inputs[f.name];
      if (!input) continue;
      if (f.kind === 'checkbox') {
        if (this.touched.has(f.name)) scenario[f.name] = input.checked;
      } else if (f.kind === 'select') {
        if (input.value !== '') scenario[f.name] = f.number ? Number(input.value) : input.value;
      } else {
        const v = typed(input.value);
        if (v !== undefined) scenario[f.name] = v;
      }
    }
    const w = this.workload();
    for (const f of this.fields) {
      const section = this.sections[f.section];
      if ((section && section.el.hidden) || !fieldShown(f.name, w)) delete scenario[f.name];
    }
    return scenario;
  }

  // Shows a scenario (from a permalink or a saved state) in the inputs.
  set(scenario) {
    this.picker.set(scenario.model ?? '');
    for (const f of this.fields) {
      if (f.kind === 'model') continue;
      const input = this.inputs[f.name];
      const v = scenario[f.name];
      if (f.kind === 'checkbox') {
        input.checked = Boolean(v);
        // A link without the field leaves it to the core's default again.
        if (v !== undefined) this.touched.add(f.name);
        else this.touched.delete(f.name);
      } else if (f.kind === 'select') {
        const value = v === undefined ? '' : String(v);
        if (value !== '' && ![...input.options].some((o) => o.value === value)) {
          input.append(h('option', {value}, value));  // keep an unknown id visible; the core will name it
        }
        input.value = value;
      } else {
        input.value = v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        if (this.sliders[f.name] && typeof v === 'number') this.sliders[f.name].value = String(toSlider(v, f.slider));
      }
    }
    this.updateSections();
  }

  // Placeholders: what the core assumed for the fields left empty.
  setAssumed(result) {
    const s = result.scenario || {};
    for (const f of this.fields) {
      const input = this.inputs[f.name];
      if (!input || f.kind === 'checkbox') continue;
      const v = s[f.name];
      if (f.kind === 'select') {
        const first = input.options[0];
        if (first && !f.optional) first.textContent = v !== undefined ? `${v} (default)` : '(default)';
      } else if (v !== undefined) {
        input.placeholder = String(v);
        if (this.sliders[f.name] && input.value === '') this.sliders[f.name].value = String(toSlider(v, f.slider));
      }
    }
    if (this.inputs.gradient_checkpointing && !this.touched.has('gradient_checkpointing')) {
      this.inputs.gradient_checkpointing.checked = Boolean(s.gradient_checkpointing);
    }
    const maxContext = result.model && result.model.max_context_tokens;
    const context = this.fields.find((f) => f.name === 'context_tokens');
    if (maxContext && context && context.slider) context.slider.max = Math.max(maxContext, 512);
  }

  // The core's error beside its field, and only there: `path` is the core's JSON Pointer
  // ("/batch_size", "/model/kv_heads"). An empty message clears every message.
  showError(path = '', message = '') {
    for (const [name, el] of Object.entries(this.errors)) {
      el.textContent = '';
      this.inputs[name]?.removeAttribute('aria-invalid');
    }
    this.picker.showError('', '');
    if (!message) return;
    const parts = path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const top = parts[0] || '';
    if (top === 'model' || top === '') {
      this.picker.showError(parts.slice(1).join('.') || 'model', message);
    } else if (this.errors[top]) {
      this.errors[top].textContent = message;
      this.inputs[top].setAttribute('aria-invalid', 'true');
    } else {
      this.picker.showError(parts.join('.'), message);
    }
  }
}
