// The user's own GPUs and models, kept in this browser (localStorage), exportable and importable
// as JSON in the catalog's own field names. Nothing the user saved is ever thrown away: an entry
// that no longer reads, or that the core refuses, is set aside with the reason and kept.
const KEY = 'gpu-fit.custom.v1';
const ASIDE_KEY = 'gpu-fit.custom.v1.set-aside';

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;  // storage disabled (private mode, sandboxed frame)
  }
}

function empty() {
  return {gpus: [], models: []};
}

// {entries: {gpus, models}, problems: [text]}
export function loadCustom() {
  const store = storage();
  const problems = [];
  if (!store) return {entries: empty(), problems: ['this browser does not let the page keep data: custom entries last until you leave']};
  let raw = null;
  try {
    raw = store.getItem(KEY);
  } catch (e) {
    problems.push(`saved custom entries could not be read (${e.message})`);
  }
  if (!raw) return {entries: empty(), problems};
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch {
    setAside(raw, 'not valid JSON');
    return {entries: empty(), problems: ['saved custom entries were damaged (not valid JSON): they were set aside, not deleted']};
  }
  const entries = empty();
  for (const kind of ['gpus', 'models']) {
    const list = parsed && Array.isArray(parsed[kind]) ? parsed[kind] : [];
    for (const [i, e] of list.entries()) {
      if (e && typeof e === 'object' && !Array.isArray(e) && typeof e.id === 'string' && e.id) {
        entries[kind].push(e);
      } else {
        setAside(JSON.stringify(e), `${kind}[${i}] has no id`);
        problems.push(`a saved ${kind.slice(0, -1)} (${kind}[${i}]) had no id and was set aside`);
      }
    }
  }
  return {entries, problems};
}

export function saveCustom(entries) {
  const store = storage();
  if (!store) return false;
  try {
    store.setItem(KEY, JSON.stringify(entries));
    return true;
  } catch {
    return false;  // full or disabled: the entries still work for this visit
  }
}

// Keeps what could not be used, with why, under a separate key.
export function setAside(text, why) {
  const store = storage();
  if (!store) return;
  try {
    const list = JSON.parse(store.getItem(ASIDE_KEY) || '[]');
    list.push({when: new Date().toISOString(), why, text: String(text).slice(0, 200000)});
    store.setItem(ASIDE_KEY, JSON.stringify(list.slice(-20)));
  } catch {
    // nothing more can be done without storage
  }
}

// Parses an imported file: {gpus, models} (or a single GPU/model object or an array of them).
// Only the shape is checked here; the core checks every entry.
export function parseImport(text) {
  const data = JSON.parse(text);
  const isEntry = (e) => e !== null && typeof e === 'object' && !Array.isArray(e);
  const isGpu = (e) => 'memory_bandwidth_gbs' in e;
  if (Array.isArray(data)) {
    if (!data.every(isEntry)) throw new Error('every entry of the list must be an object');
    return {gpus: data.filter(isGpu), models: data.filter((e) => !isGpu(e))};
  }
  if (isEntry(data) && ('gpus' in data || 'models' in data)) {
    for (const kind of ['gpus', 'models']) {
      if (kind in data && !(Array.isArray(data[kind]) && data[kind].every(isEntry))) {
        throw new Error(`"${kind}" must be a list of objects`);
      }
    }
    return {gpus: data.gpus || [], models: data.models || []};
  }
  if (isEntry(data)) return isGpu(data) ? {gpus: [data], models: []} : {gpus: [], models: [data]};
  throw new Error('expected {"gpus": [...], "models": [...]}');
}
