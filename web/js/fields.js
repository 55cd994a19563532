// The scenario's fields as the form shows them: label, section, kind of input, unit, help. Names
// are the contract's. Defaults are not here: the placeholders show what the core assumed, read
// back from each result.

export const SECTIONS = [
  {id: 'model', title: 'Model'},
  {id: 'hardware', title: 'Hardware and engine'},
  {id: 'workload', title: 'Workload'},
  {id: 'traffic', title: 'Users and traffic'},
  {id: 'money', title: 'Price'},
  {id: 'power', title: 'Power'},
  {id: 'training', title: 'Fine-tuning', modes: ['lora', 'qlora', 'full_finetune']},
];

export const FIELDS = [
  {name: 'model', section: 'model', kind: 'model', label: 'Model'},
  {name: 'weights', section: 'model', kind: 'select', label: 'Weight format', options: 'formats'},
  {name: 'kv_cache', section: 'model', kind: 'select', label: 'KV-cache format', options: 'kv_cache_formats'},
  {name: 'mode', section: 'model', kind: 'select', label: 'Mode',
   options: [['inference', 'Inference'], ['lora', 'LoRA fine-tune'], ['qlora', 'QLoRA fine-tune'], ['full_finetune', 'Full fine-tune']]},
  {name: 'gpu', section: 'hardware', kind: 'select', label: 'GPU', options: 'gpus'},
  {name: 'gpu_count', section: 'hardware', kind: 'select', label: 'GPUs per replica',
   options: [1, 2, 4, 8, 16, 32, 64].map((n) => [n, String(n)]), number: true,
   help: 'tensor parallel (llama.cpp: layers split)'},
  {name: 'engine', section: 'hardware', kind: 'select', label: 'Engine', options: 'engines'},
  {name: 'context_tokens', section: 'workload', kind: 'slider', label: 'Context per sequence', unit: 'tokens',
   slider: {min: 256, max: 131072, log: true, step: 1}, help: 'the KV cache each sequence holds'},
  {name: 'batch_size', section: 'workload', kind: 'slider', label: 'Batch (concurrent sequences)', unit: 'sequences',
   slider: {min: 1, max: 1024, log: true, step: 1}},
  {name: 'prompt_tokens', section: 'workload', kind: 'number', label: 'Prompt per request', unit: 'tokens'},
  {name: 'output_tokens', section: 'workload', kind: 'number', label: 'Output per request', unit: 'tokens'},
  {name: 'users', section: 'traffic', kind: 'number', label: 'Concurrent users', unit: 'users', optional: true,
   help: 'sizes a fleet'},
  {name: 'min_tokens_per_s_per_user', section: 'traffic', kind: 'number', label: 'Speed each user needs', unit: 'tokens/s',
   optional: true},
  {name: 'tokens_per_day', section: 'traffic', kind: 'number', label: 'Traffic', unit: 'tokens/day', optional: true,
   help: 'prices the day by the hours it needs'},
  {name: 'provider', section: 'money', kind: 'select', label: 'Provider', options: 'providers', optional: true},
  {name: 'pricing', section: 'money', kind: 'select', label: 'Pricing',
   options: [['on_demand', 'On demand'], ['spot', 'Spot'], ['reserved', 'Reserved']]},
  {name: 'price_usd_per_hour', section: 'money', kind: 'number', label: 'Your price per GPU', unit: '$/hour', optional: true,
   help: 'overrides the catalog'},
  {name: 'utilization', section: 'power', kind: 'slider', label: 'Utilization', unit: 'of TDP',
   slider: {min: 0, max: 1, step: 0.05}},
  {name: 'electricity_usd_per_kwh', section: 'power', kind: 'number', label: 'Electricity', unit: '$/kWh'},
  {name: 'pue', section: 'power', kind: 'number', label: 'PUE', unit: 'facility / IT power'},
  {name: 'power_budget_w', section: 'power', kind: 'number', label: 'Power budget', unit: 'W', optional: true},
  {name: 'host_w_per_server', section: 'power', kind: 'number', label: 'Host power per server', unit: 'W'},
  {name: 'gpus_per_server', section: 'power', kind: 'number', label: 'GPUs per server', unit: 'GPUs'},
  {name: 'lora_rank', section: 'training', kind: 'number', label: 'LoRA rank', unit: 'r'},
  {name: 'gradient_checkpointing', section: 'training', kind: 'checkbox', label: 'Gradient checkpointing'},
  {name: 'train_tokens', section: 'training', kind: 'number', label: 'Tokens to train on', unit: 'tokens', optional: true},
  {name: 'mfu', section: 'training', kind: 'number', label: 'Model-FLOPs utilization', unit: '0-1', optional: true},
];

export const FIELD = Object.fromEntries(FIELDS.map((f) => [f.name, f]));
