// The site's embed builder: pick a view (and take the calculator's scenario), see the widget
// live, copy either snippet (a script tag and the element, or an iframe) with one click.
import {h, replace} from './dom.js';
import {GpuFitElement} from '../widget/gpu-fit-element.js';
import {attributesFromLoad} from './load-curve.js';
import {plainLabel, snippetText} from './snippet-text.js';

const VIEWS = [['fit', 'Fit and memory'], ['cost', 'Cost'], ['compare', 'Compare GPUs'], ['rank', 'Ranking'], ['power', 'Power'], ['fleet', 'Fleet'], ['load', 'Serving under load']];


export function escapeAttr(value) {
  return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class EmbedBuilder {
  // `schema`: calc.schema(); each scenario field's widget attribute comes from it.
  constructor(root, schema) {
    GpuFitElement.define();
    this.toAttr = Object.fromEntries(schema.tables.scenario.filter((f) => f.attribute && f.name !== 'gpu')
      .map((f) => [f.name, f.attribute]));
    this.root = root;
    this.view = 'fit';
    this.gpus = '';
    this.editable = false;
    this.scenario = {};
    this.result = null;
    this.answer = null;  // the live preview's own answer, which the snippet's text reads
  }

  attributes() {
    const attrs = {};
    for (const [field, attr] of Object.entries(this.toAttr)) {
      const v = this.scenario[field];
      if (v !== undefined && v !== '' && typeof v !== 'object') attrs[attr] = String(v);
    }
    // The Load view's load and slo (objects in the scenario) as the widget's own attributes.
    if (this.view === 'load') Object.assign(attrs, attributesFromLoad(this.scenario));
    attrs.gpus = this.gpus || this.scenario.gpu || 'l4';
    attrs.view = this.view;
    if (this.editable) attrs.editable = '';
    return attrs;
  }

  base() {
    return new URL('.', location.href).href;
  }

  snippets() {
    const attrs = this.attributes();
    const list = Object.entries(attrs).map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${escapeAttr(v)}"`)).join('');
    const date = new Date().toLocaleDateString('en-CA');  // YYYY-MM-DD, local
    const label = snippetText(this.view, this.answer, attrs, {date, modelName: this.result ? this.result.model.name : attrs.model});
    const title = plainLabel(attrs);
    const script = `<script type="module" src="${this.base()}widget/gpu-fit.js"></script>\n<gpu-fit${list}>\n  ${escapeAttr(label)}\n</gpu-fit>`;
    const query = new URLSearchParams(Object.entries(attrs).map(([k, v]) => [k, v === '' ? 'true' : v])).toString();
    const iframe = `<iframe src="${this.base()}embed.html?${escapeAttr(query)}" title="${escapeAttr(title)}" width="100%" height="420" style="border:0" loading="lazy"></iframe>`;
    return {script, iframe};
  }

  // `result`: the calculator's result for `scenario`, summarized in the snippet's text.
  update(scenario, result = null) {
    this.scenario = scenario;
    this.result = result;
    this.render();
  }

  // The preview answered: the snippet's text becomes that answer, the one its widget will give.
  answered(preview, answer) {
    if (preview !== this.preview) return;  // a preview replaced since
    // A reader of an editable preview changed its inputs (or added one the snippet does not set):
    // that answer is not the snippet's. The element's own bookkeeping attributes do not count.
    const attrs = this.attributes();
    const own = (name) => name.startsWith('data-') || name.startsWith('aria-') || ['class', 'id', 'style'].includes(name);
    if (Object.entries(attrs).some(([k, v]) => preview.getAttribute(k) !== v) ||
      preview.getAttributeNames().some((name) => !own(name) && !(name in attrs))) return;
    this.answer = answer;
    const {script, iframe} = this.snippets();
    this.root.querySelector('#snippet-script').value = script;
    this.root.querySelector('#snippet-iframe').value = iframe;
  }

  render() {
    this.answer = null;  // until the new preview answers, the snippet carries a plain label
    const {script, iframe} = this.snippets();
    const preview = h('gpu-fit', {}, 'Loading the preview…');
    for (const [k, v] of Object.entries(this.attributes())) preview.setAttribute(k, v);
    this.preview = preview;
    preview.addEventListener('gpu-fit-result', (e) => this.answered(preview, e.detail));
    // Each button copies its text area's current text (the answer may have come since).
    const copy = (area, id) => h('button', {type: 'button', id, onclick: async (e) => {
      const button = e.currentTarget;
      try {
        await navigator.clipboard.writeText(this.root.querySelector(`#${area}`).value);
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Select and copy the text';
      }
      setTimeout(() => { button.textContent = id === 'copy-script' ? 'Copy script snippet' : 'Copy iframe snippet'; }, 2000);
    }}, id === 'copy-script' ? 'Copy script snippet' : 'Copy iframe snippet');
    const model = this.scenario.model;
    replace(this.root, h('div', {class: 'embed-grid'},
      h('div', {},
        h('label', {class: 'field-label', for: 'embed-view'}, 'View'),
        h('select', {id: 'embed-view', onchange: (e) => { this.view = e.target.value; this.render(); }},
          VIEWS.map(([v, t]) => h('option', {value: v, selected: v === this.view}, t))),
        h('label', {class: 'field-label', for: 'embed-gpus'}, 'GPUs (comma-separated, up to 4 for Compare)'),
        h('input', {id: 'embed-gpus', type: 'text', value: this.gpus, placeholder: this.scenario.gpu || 'l4',
          onchange: (e) => { this.gpus = e.target.value.trim(); this.render(); }}),
        h('label', {class: 'inline'}, h('input', {type: 'checkbox', checked: this.editable, onchange: (e) => { this.editable = e.target.checked; this.render(); }}), ' Readers can change the inputs'),
        typeof model === 'object' ? h('p', {class: 'warning'}, 'A custom model cannot be embedded: pick a catalog model.') : '',
        h('p', {class: 'hint'}, 'The widget takes the calculator\'s scenario; change it there.'),
        h('h3', {}, 'Script tag and element'), h('textarea', {class: 'snippet', id: 'snippet-script', rows: 6, readonly: true}, script), copy('snippet-script', 'copy-script'),
        h('h3', {}, 'iframe, for hosts that strip scripts'), h('textarea', {class: 'snippet', id: 'snippet-iframe', rows: 4, readonly: true}, iframe), copy('snippet-iframe', 'copy-iframe')),
      h('div', {}, h('h3', {}, 'Live preview'), preview)));
  }
}
