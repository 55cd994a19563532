// The scenario's fields as the form shows them, derived from the core's schema (calc.schema():
// the same table the core reads scenarios through): label, section (the field's group), the kind
// of input, unit, allowed words, slider range, help. Only the section titles and the words' labels
// are the page's own; defaults are not here at all: the placeholders show what the core assumed.

export const SECTIONS = [
  {id: 'model', title: 'Model'},
  {id: 'hardware', title: 'Hardware and engine'},
  {id: 'workload', title: 'Workload'},
  {id: 'traffic', title: 'Users and traffic'},
  {id: 'money', title: 'Price'},
  {id: 'power', title: 'Power'},
  {id: 'finetune', title: 'Fine-tuning', modes: ['lora', 'qlora', 'full_finetune']},
];

// Friendlier words for a few enumerations; any other word shows as it is.
const WORDS = {
  inference: 'Inference', lora: 'LoRA fine-tune', qlora: 'QLoRA fine-tune', full_finetune: 'Full fine-tune',
  on_demand: 'On demand', spot: 'Spot', reserved: 'Reserved',
  llm: 'LLM (text generation)', image: 'Image generation', speech: 'Speech-to-text', embedding: 'Embeddings',
};
export const wordLabel = (word) => WORDS[word] || word;

// What each workload reads: its own fields (the schema's image/speech/embedding rows) and, for
// text generation, the fields and sections the others ignore. A field another workload owns is
// hidden and left out of the scenario. The model each starts from when the switch is turned.
const OWN_FIELDS = {image: ['width', 'height', 'steps', 'offload'], speech: ['audio_seconds', 'beam_size'],
  embedding: ['sequence_tokens']};
const LLM_FIELDS = ['kv_cache', 'mode', 'context_tokens', 'prompt_tokens', 'output_tokens'];
export const LLM_SECTIONS = ['traffic', 'finetune'];
export const WORKLOAD_MODEL = {llm: 'llama-3.1-8b', image: 'sdxl-base-1.0', speech: 'whisper-large-v3', embedding: 'bge-large-en-v1.5'};
export function fieldShown(name, workload) {
  const owner = Object.keys(OWN_FIELDS).find((w) => OWN_FIELDS[w].includes(name));
  if (owner) return owner === workload;
  return workload === 'llm' || !LLM_FIELDS.includes(name);
}

// One schema row -> one form field.
function field(row) {
  const [control, ...args] = (row.ui || '').split(' ');
  const f = {name: row.name, section: row.group, label: row.label || row.name, unit: row.unit || '',
    help: row.doc, optional: row.default === undefined && !row.required};
  if (control === 'hidden') return null;
  if (row.type === 'id_or_object' && row.of === 'models') return {...f, kind: 'model'};
  if (control === 'slider') {
    const [scale, min, max] = args;
    return {...f, kind: 'slider', slider: {min: Number(min), max: Number(max), log: scale === 'log',
      step: row.type === 'number' ? 0.05 : 1}};
  }
  if (control === 'choices') return {...f, kind: 'select', number: true, options: args.map((n) => [Number(n), n])};
  if (control === 'options') return {...f, kind: 'select', options: args[0]};
  if (row.type === 'id' || row.type === 'id_or_object') return {...f, kind: 'select', options: row.of};
  if (row.type === 'enum') return {...f, kind: 'select', options: row.words.map((w) => [w, wordLabel(w)])};
  if (row.type === 'bool') return {...f, kind: 'checkbox'};
  if (row.type === 'object') return null;  // nested objects get views of their own
  return {...f, kind: 'number'};
}

export function fieldsFromSchema(schema) {
  return schema.tables.scenario.map(field).filter(Boolean);
}
