// The Pack view: several models, each with its traffic, onto the fewest MIG-sliced GPUs. The user
// keeps a list of scenarios (the calculator's current one added, each entry's model, format,
// lengths, batch and traffic editable), ticks the MIG GPUs to slice and the whole GPUs to weigh
// against, and the core's plan (calc.pack: gpucalc pack) is drawn: the cards, each scenario's
// profile and instances, every card's slices as they are placed, $/h beside whole GPUs, and what
// was refused with its reason. The list lives in the link (pack-link.js). Loaded when opened.
import {downloadFile, h, replace} from './dom.js';
import {money, num} from './format.js';
import {MAX_ENTRIES, PackLinkError, decodePackLink, encodePackLink} from './pack-link.js';

// What an entry does not take from the calculator: the GPU (and its count, slice, price) is the
// plan's to choose; the date is added when the plan is computed.
const PLAN_FIELDS = ['gpu', 'gpu_count', 'mig_profile', 'price_usd_per_hour', 'provider', 'pricing', 'as_of_date'];

// The inputs an entry shows (labels and steps from the core's scenario table); other fields it
// carries are listed beside it and kept as they are.
const NUMBERS = ['prompt_tokens', 'output_tokens', 'batch_size', 'users', 'min_tokens_per_s_per_user', 'tokens_per_day'];

function numberInputs(schema) {
  const rows = new Map(((schema && schema.tables.scenario) || []).map((r) => [r.name, r]));
  return NUMBERS.map((key) => {
    const row = rows.get(key) || {};
    return [key, row.label || key, row.type === 'count' || row.type === 'integer' ? '1' : 'any'];
  });
}

const DEFAULT_MIG = ['a100-80gb-sxm', 'h100-sxm'];
const DEFAULT_WHOLE = ['l4', 'a100-80gb-sxm', 'h100-sxm'];

export function entryFrom(scenario) {
  const e = {...scenario};
  for (const k of PLAN_FIELDS) delete e[k];
  return e;
}

export class PackView {
  // options: {calc, catalog, schema, customGpus: () => [...], scenario: () => the calculator's, today: () => 'YYYY-MM-DD'}
  constructor(root, options) {
    this.root = root;
    this.o = options;
    this.numbers = numberInputs(options.schema);
    this.state = {scenarios: [], gpus: DEFAULT_MIG.slice(), whole_gpus: DEFAULT_WHOLE.slice()};
    this.answer = null;
    this.request = null;
    this.linkError = '';
    this.error = null;
  }

  gpus() {
    return [...this.o.customGpus(), ...this.o.catalog.gpus];
  }

  known() {
    const all = this.gpus();
    return {
      mig: new Set(all.filter((g) => g.mig_profiles && g.mig_profiles.length).map((g) => g.id)),
      all: new Set(all.map((g) => g.id)),
      order: all.map((g) => g.id),
    };
  }

  // Reads a pack link into the list; a link that cannot be read leaves the list as it was and
  // says why.
  openLink(hash) {
    try {
      this.state = decodePackLink(this.o.calc, hash, this.known());
      this.linkError = '';
    } catch (e) {
      this.linkError = e instanceof PackLinkError ? e.message : `could not be read (${e.message})`;
    }
    this.update({writeLink: !this.linkError});
  }

  show() {
    this.update({writeLink: true});
  }

  link() {
    return encodePackLink(this.o.calc, this.state, this.known().order);
  }

  // The request gpucalc pack takes for the list (the same JSON, the same answer).
  requestFor() {
    const today = this.o.today();
    return {
      scenarios: this.state.scenarios.map((s) => ({...s, as_of_date: today})),
      gpus: this.state.gpus,
      whole_gpus: this.state.whole_gpus,
    };
  }

  // `whole`: the list's rows changed (added, removed), so it is drawn again; an edit inside a row
  // or a GPU ticked redraws only the plan (the input being edited stays where it is, focused).
  changed({whole = true} = {}) {
    this.linkError = '';
    this.update({writeLink: true, whole});
  }

  update({writeLink = false, whole = true} = {}) {
    this.answer = null;
    this.error = null;
    this.request = this.requestFor();
    if (this.state.scenarios.length) {
      try {
        this.answer = this.o.calc.pack(this.request);
      } catch (e) {
        this.error = e;
      }
    }
    if (writeLink) {
      try {
        const q = `#${this.link()}`;
        if (q !== location.hash) history.replaceState(null, '', q);
      } catch {
        // an entry the encoder refuses keeps the previous link; the plan's error names it
      }
    }
    if (whole || !this.parts) this.render(); else this.renderPlan();
  }

  // ---- the list ---------------------------------------------------------------------------------

  add(scenario) {
    if (this.state.scenarios.length >= MAX_ENTRIES) return;
    this.state.scenarios.push(entryFrom(scenario));
    this.changed();
  }

  set(i, key, value) {
    const e = {...this.state.scenarios[i]};
    if (value === '' || value === undefined) delete e[key]; else e[key] = value;
    this.state.scenarios[i] = e;
    this.changed({whole: false});
  }

  remove(i) {
    this.state.scenarios.splice(i, 1);
    this.changed();
  }

  entryRow(s, i) {
    const {catalog} = this.o;
    const modelIsObject = s.model && typeof s.model === 'object';
    const model = modelIsObject
      ? h('span', {class: 'pack-model'}, `${s.model.name || s.model.id || 'your model'} (yours)`)
      : h('select', {'aria-label': `Entry ${i + 1} model`, class: 'pack-model', onchange: (e) => this.set(i, 'model', e.target.value)},
        [...(s.model && !catalog.models.some((m) => m.id === s.model) ? [s.model] : []).map((id) => h('option', {value: id, selected: true}, String(id))),
          ...catalog.models.map((m) => h('option', {value: m.id, selected: s.model === m.id}, m.name || m.id))]);
    const weights = h('select', {'aria-label': `Entry ${i + 1} weights`, class: 'pack-weights', onchange: (e) => this.set(i, 'weights', e.target.value)},
      h('option', {value: '', selected: !s.weights}, "model's default"),
      catalog.formats.map((f) => h('option', {value: f.id, selected: s.weights === f.id}, f.id)));
    const numbers = this.numbers.map(([key, label, step]) => h('label', {class: 'pack-num'}, `${label} `,
      h('input', {type: 'number', min: '0', step, name: key, value: s[key] ?? '', 'aria-label': `Entry ${i + 1} ${label}`,
        onchange: (e) => this.set(i, key, e.target.value === '' ? '' : Number(e.target.value))})));
    const shown = new Set(['model', 'weights', ...NUMBERS]);
    const others = Object.entries(s).filter(([k]) => !shown.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'object' ? 'object' : String(v).slice(0, 40)}`);
    return h('li', {class: 'pack-entry', dataset: {index: String(i)}},
      h('span', {class: 'pack-name'}, `#${i + 1}`), model, weights, numbers,
      others.length ? h('span', {class: 'note'}, `also: ${others.join(', ')}`) : '',
      h('button', {type: 'button', class: 'pack-remove', 'aria-label': `Remove entry ${i + 1}`, onclick: () => this.remove(i)}, 'Remove'),
      h('p', {class: 'error', hidden: true}));
  }

  // The core's error beside the entry it names (its path /scenarios/<i>/<field>).
  markEntries() {
    const e = this.error;
    for (const li of this.root.querySelectorAll('.pack-entry')) {
      const at = `/scenarios/${li.dataset.index}`;
      const bad = e && typeof e.path === 'string' && (e.path === at || e.path.startsWith(`${at}/`));
      li.classList.toggle('invalid', Boolean(bad));
      const p = li.querySelector('p.error');
      p.hidden = !bad;
      p.textContent = bad ? `${e.path.slice(at.length)} ${e.detail || e.message}`.trim() : '';
    }
  }

  gpuPicker(key, legend, gpus) {
    return h('fieldset', {class: `pack-pick pack-pick-${key}`}, h('legend', {}, legend),
      h('div', {class: 'chips'}, gpus.map((g) => h('label', {class: 'chip'},
        h('input', {type: 'checkbox', value: g.id, checked: this.state[key].includes(g.id),
          onchange: (e) => {
            const set = new Set(this.state[key]);
            if (e.target.checked) set.add(g.id); else set.delete(g.id);
            this.state[key] = this.gpus().map((x) => x.id).filter((id) => set.has(id));
            this.changed({whole: false});
          }}), g.name || g.id))));
  }

  // ---- the plan ---------------------------------------------------------------------------------

  // One card's slices as placed: a column per memory slice, each instance over the memory slices
  // it holds from its start slice; the compute slices it takes are in its label.
  diagram(card, computeTotal) {
    const memoryTotal = card.instances.reduce((n, x) => n + x.memory_slices, 0) + card.free_memory_slices;
    const grid = h('div', {class: 'mig-card', role: 'img',
      'aria-label': `GPU ${card.gpu_index + 1}: ${card.instances.map((x) => `${x.profile} at slice ${x.start_slice} for ${x.scenario}`).join('; ')}`});
    grid.style.gridTemplateColumns = `repeat(${memoryTotal}, 1fr)`;  // CSSOM: allowed under the CSP
    for (let m = 0; m < memoryTotal; m++) {
      const cell = h('div', {class: 'mig-slot'}, String(m));
      cell.style.gridColumn = `${m + 1}`;
      cell.style.gridRow = '1';
      grid.append(cell);
    }
    for (const x of card.instances) {
      const block = h('div', {class: 'mig-instance', title: `${x.scenario}: ${x.profile}, compute ${x.compute_slices} of ${computeTotal}, memory slices ${x.start_slice}–${x.start_slice + x.memory_slices - 1}`},
        h('strong', {}, x.profile), h('span', {}, x.scenario));
      block.style.gridColumn = `${x.start_slice + 1} / span ${x.memory_slices}`;
      block.style.gridRow = '2';
      grid.append(block);
    }
    const used = computeTotal - card.free_compute_slices;
    return h('figure', {class: 'mig-figure'}, grid,
      h('figcaption', {}, `GPU ${card.gpu_index + 1}: ${used} of ${computeTotal} compute slices and ${memoryTotal - card.free_memory_slices} of ${memoryTotal} memory slices in use`));
  }

  planBlock(plan, best) {
    const head = h('h3', {}, plan.gpu_name, best ? ' — cheapest' : '');
    if (!plan.feasible) {
      return h('section', {class: 'pack-plan refused', dataset: {gpu: plan.gpu}}, head,
        h('p', {class: 'refusal'}, `Refused: ${plan.reason}`));
    }
    // The card's compute slices (7 on every MIG GPU so far): what the first card uses and leaves.
    const first = plan.layout[0];
    const computeTotal = first ? first.instances.reduce((n, x) => n + x.compute_slices, 0) + first.free_compute_slices : 7;
    const summary = h('p', {class: 'pack-cost'},
      h('strong', {class: 'pack-usd'}, `${plan.gpus} ${plan.gpus === 1 ? 'card' : 'cards'} sliced: ${money(plan.usd_per_hour)}/h`),
      plan.whole_usd_per_hour !== null
        ? ` against ${num(plan.whole_gpus)} whole ${plan.gpu_name} at ${money(plan.whole_usd_per_hour)}/h` +
          (plan.saving_usd_per_hour !== null ? ` (saves ${money(plan.saving_usd_per_hour)}/h)` : '')
        : ' (not every entry runs on whole cards of this kind)');
    const assignments = h('table', {class: 'pack-assignments'},
      h('thead', {}, h('tr', {}, ['Entry', 'Profile', 'Instances', 'Tokens/s each', '$/1M tokens', 'On whole cards'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, plan.assignments.map((a, i) => {
        const w = plan.whole[i];
        return h('tr', {}, h('th', {scope: 'row'}, a.scenario), h('td', {}, a.profile), h('td', {class: 'num'}, num(a.instances)),
          h('td', {class: 'num'}, num(a.tokens_per_s_per_instance)), h('td', {class: 'num'}, money(a.usd_per_million_tokens)),
          h('td', {class: w && w.reason ? 'refusal' : ''}, w ? (w.gpu_count ? `${w.instances} × ${w.gpu_count} GPU` : `refused: ${w.reason}`) : '–'));
      })));
    return h('section', {class: `pack-plan${best ? ' best' : ''}`, dataset: {gpu: plan.gpu}}, head, summary, assignments,
      h('div', {class: 'mig-cards'}, plan.layout.map((card) => this.diagram(card, computeTotal))));
  }

  wholeBlock(whole) {
    if (!whole) return '';
    const name = (id) => (this.gpus().find((g) => g.id === id) || {name: id}).name || id;
    return h('section', {class: 'pack-whole'}, h('h3', {}, `Each entry on the cheapest whole GPU ticked: ${money(whole.usd_per_hour)}/h`),
      h('ul', {}, whole.per_scenario.map((x) => h('li', {class: x.gpu ? '' : 'refusal'},
        x.gpu ? `${x.scenario}: ${x.instances} × ${x.gpu_count} ${name(x.gpu)} at ${money(x.usd_per_hour)}/h`
          : `${x.scenario}: refused: no ticked whole GPU serves it`))));
  }

  render() {
    const gpus = this.gpus();
    const list = this.state.scenarios;
    const parts = [];
    if (this.linkError) {
      parts.push(h('p', {class: 'error pack-link-error', role: 'alert'}, `This pack link could not be read: ${this.linkError}. The list below is unchanged.`));
    }
    parts.push(h('p', {class: 'hint'}, 'Models that share MIG-sliced GPUs: each entry gets the slice that serves its traffic (users at a speed each, or tokens a day; neither: it only has to fit) with the fewest compute slices, placed on as few cards as the placement rules allow.'));
    parts.push(h('div', {class: 'pack-actions'},
      h('button', {type: 'button', class: 'pack-add-current', disabled: list.length >= MAX_ENTRIES, onclick: () => this.add(this.o.scenario())},
        "Add the calculator's scenario"),
      h('button', {type: 'button', class: 'pack-clear', disabled: !list.length, onclick: () => { this.state.scenarios = []; this.changed(); }}, 'Clear the list')));
    parts.push(list.length
      ? h('ol', {class: 'pack-list'}, list.map((s, i) => this.entryRow(s, i)))
      : h('p', {class: 'hint pack-empty'}, 'No entries yet: set a scenario in the calculator and add it here.'));
    parts.push(h('div', {class: 'pack-picks'},
      this.gpuPicker('gpus', 'MIG GPUs to slice (none ticked: every one)', gpus.filter((g) => g.mig_profiles && g.mig_profiles.length)),
      this.gpuPicker('whole_gpus', 'Whole GPUs to compare', gpus)));
    this.parts = {plan: h('div', {class: 'pack-result', 'aria-live': 'polite'}), request: h('div', {})};
    parts.push(this.parts.plan, this.parts.request);
    replace(this.root, ...parts);
    this.renderPlan();
  }

  renderPlan() {
    const list = this.state.scenarios;
    const out = this.parts.plan;
    replace(out);
    if (this.error) {
      out.append(h('p', {class: 'error', role: 'alert'}, `No plan: ${this.error.message}`));
    } else if (this.answer) {
      const a = this.answer;
      out.append(h('p', {class: 'statement'}, h('strong', {}, a.statement || 'No MIG GPU ticked can hold every entry.')),
        ...a.plans.map((p, i) => this.planBlock(p, i === a.best)), this.wholeBlock(a.whole_gpus));
    }
    replace(this.parts.request);
    if (this.request && list.length) {
      const text = `${JSON.stringify(this.request, null, 2)}\n`;
      this.parts.request.append(h('details', {class: 'pack-request'}, h('summary', {}, 'The request (gpucalc pack FILE gives the same plan)'),
        h('pre', {}, text),
        h('button', {type: 'button', onclick: () => downloadFile('gpu-fit-pack.json', 'application/json', text)}, 'Download the request'),
        this.answer ? h('button', {type: 'button', onclick: () => downloadFile('gpu-fit-plan.json', 'application/json', `${JSON.stringify(this.answer, null, 2)}\n`)}, 'Download the plan') : ''));
    }
    this.markEntries();
  }
}
