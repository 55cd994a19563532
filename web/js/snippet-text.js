// The text a <gpu-fit> snippet carries inside its element: the widget's own answer for its
// attributes, in words and dated. A blog's reader sees it with the post's first paint, before the
// widget's scripts and the core have arrived, keeps it where scripts or WebAssembly are refused,
// and a search engine reads it. It is written from what the widget computed (its gpu-fit-result
// event), so its figures are the widget's, in the same formatting; it computes nothing itself.
import {wordLabel} from './fields.js';
import {counted, gb, money, num} from './format.js';
import {gpuLabel} from './results.js';
import {figures} from './workload.js';

// Where no answer is at hand (an attribute the core refuses, a custom model): a plain label.
export function plainLabel(attrs) {
  return `${attrs.model || 'Model'} on ${attrs.gpus} — GPU Fit calculator`;
}

const dated = (text, date) => `${text}. GPU Fit calculator, computed ${date}.`;
const inference = (r) => (r.scenario.mode || 'inference') === 'inference';
const head = (r) => `${r.model.name} (${r.scenario.weights}${inference(r) ? '' : `, ${wordLabel(r.scenario.mode)}`}) on ${gpuLabel(r.scenario)}`;
// A price the catalog may not have (a GPU no provider lists, and no price attribute).
const priced = (usd, unit) => (Number.isFinite(usd) ? `${money(usd)} ${unit}` : 'no price in the catalog');

function fitText(r) {
  const fit = r.fits ? `fits, ${gb(r.memory.total_gb)} of ${gb(r.memory.available_gb)} per GPU`
    : `does not fit, ${gb(r.memory.total_gb)} needed per GPU`;
  // Fine-tuning: the fit alone (its decode and cost figures are the inference setup's).
  const speed = r.fits && inference(r) ? `; ${num(r.decode.tokens_per_s_per_sequence)} tokens/s per sequence at batch ${num(r.scenario.batch_size)}` +
    (r.cost.usd_per_million_tokens ? `, ${money(r.cost.usd_per_million_tokens)} per 1M tokens` : '') : '';
  return `${head(r)}: ${fit}${speed}`;
}

// One result (every view but compare and rank), as the widget's view of it shows.
function resultText(view, r) {
  const workload = r.scenario.workload || 'llm';
  if (workload !== 'llm') {
    // Image, speech, embedding: the two leading figures of the widget's view.
    const shown = figures(r).slice(0, 2).map(([label, value]) => (value === 'no price' ? `${label}: no price in the catalog`
      : `${label[0].toLowerCase()}${label.slice(1)} ${value}`)).join(', ');
    return `${head(r)}: ${r.fits ? `fits; ${shown}` : 'does not fit'}`;
  }
  if (!r.fits || !r.decode || !inference(r)) return fitText(r);
  if (view === 'cost') {
    return `${head(r)}: ${priced(r.cost.usd_per_million_tokens, 'per 1M tokens')} at ${num(r.decode.tokens_per_s_total)} tokens/s ` +
      `(batch ${num(r.scenario.batch_size)}), ${priced(r.cost.usd_per_hour, 'per hour')}`;
  }
  if (view === 'power') {
    return `${head(r)}: draws ${num(r.power.watts)} W, ${num(r.power.joules_per_token)} J per token, ` +
      `${money(r.power.annual_energy_usd)} of energy a year`;
  }
  if (view === 'fleet' && r.fleet) {
    const users = counted(r.scenario.users, 'user', 'users');
    return r.fleet.gpus_needed === null
      ? `${head(r)}: no number of replicas gives ${users} ${num(r.scenario.min_tokens_per_s_per_user)} tokens/s each`
      : `${head(r)}: ${counted(r.fleet.gpus_needed, 'GPU', 'GPUs')} in ${counted(r.fleet.replicas, 'replica', 'replicas')} ` +
        `${r.fleet.gpus_needed === 1 ? 'serves' : 'serve'} ${users}, ` +
        `${priced(r.fleet.usd_per_hour, 'per hour')}`;
  }
  if (view === 'load' && r.serving_load) {
    const sl = r.serving_load;
    const load = r.scenario.load || {};
    const rate = Number.isFinite(load.request_rate_per_s);
    const at = rate ? `${num(load.request_rate_per_s)} requests/s` : `${num(load.concurrency)} users`;
    const demand = rate ? at : `${num(r.scenario.users ?? load.concurrency)} users`;
    const f = r.fleet || {};
    const slo = f.gpus_for_slo === undefined ? '' : f.gpus_for_slo === null ? '; no load meets the SLO'
      : `; ${counted(f.gpus_for_slo, 'GPU', 'GPUs')} (${counted(f.replicas_for_slo, 'replica', 'replicas')}) ` +
        `${f.gpus_for_slo === 1 ? 'serves' : 'serve'} ${demand} within the SLO`;
    // Past the knee the queue grows with time, and so does the time to first token it gives.
    const saturated = sl.saturated ? ', saturated (the queue grows)' : '';
    return `${head(r)}, one replica at ${at}${saturated}: ${num(sl.output_tokens_per_s)} output tokens/s, p99 time to first token ` +
      `${num(sl.ttft_ms.p99)} ms, p99 time per output token ${num(sl.tpot_ms.p99)} ms${slo}`;
  }
  return fitText(r);
}

// A ranking row as the widget's compare and rank tables show it: GPUs, throughput, cost.
function rowText(row) {
  if (!row.fits) return `${row.gpu_name}: does not fit`;
  const cost = row.usd_per_unit ?? row.usd_per_million_tokens;
  return `${row.gpu_count > 1 ? `${num(row.gpu_count)}× ` : ''}${row.gpu_name}: ${num(row.tokens_per_s)} ` +
    `${row.throughput_unit || 'tokens/s'}, ${priced(cost, `per ${row.cost_unit || 'million tokens'}`)}`;
}

// `view`: the widget's; `answer`: its gpu-fit-result event's detail (a result, or a ranking for
// compare and rank); `attrs`: its attributes (gpus names the compared GPUs); `modelName`: the
// model's name for a ranking, which does not carry it. `date`: YYYY-MM-DD.
export function snippetText(view, answer, attrs, {date, modelName = attrs.model} = {}) {
  if (!answer) return plainLabel(attrs);
  if (view === 'compare' || view === 'rank') {
    const rows = view === 'compare'
      ? attrs.gpus.split(',').map((id) => answer.rows.find((row) => row.gpu === id.trim())).filter(Boolean)
      : answer.rows.filter((row) => row.fits).slice(0, 3);
    if (!rows.length) return plainLabel(attrs);
    const best = view === 'rank' ? `, the best ${rows.length === 1 ? 'one' : rows.length === 2 ? 'two' : 'three'}` : '';
    return dated(`${modelName} (${rows[0].weights})${best} — ${rows.map(rowText).join('; ')}. ${answer.statement}`, date);
  }
  return dated(resultText(view, answer), date);
}
