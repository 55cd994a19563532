// A pack list in the page's link: "#pack&s=<scenario>&s=<scenario>&mig=<gpu>&whole=<gpu>".
// Each s is one scenario in the calculator's own permalink form (the core's encoder and decoder,
// so its fields are checked exactly as the calculator's link is), then form-encoded as the value
// of s; mig names a MIG GPU to slice, whole a whole GPU to compare against, each in catalog order
// without repeats. The same list always gives the same link, and a link is read back into the
// same list. A link is bounded (bytes, entries) and anything else in it is refused with a message
// that says where: it never throws anything but a PackLinkError.

export const MAX_ENTRIES = 64;            // the core's kMaxPackScenarios (core/src/mig_pack.cpp)
export const MAX_LINK_BYTES = 64 * 1024;  // a browser keeps far longer URLs; a list of 64 fits
const MARK = 'pack';

export class PackLinkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PackLinkError';
  }
}

// "#pack", "#pack&..." (the view's links), not "#model=..." (the calculator's).
export function isPackLink(hash) {
  return /^#?pack(&|$)/.test(hash);
}

const short = (text) => {
  const s = String(text);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
};

// ids in `order` (the catalog's), each once.
function canonicalIds(ids, order) {
  const want = new Set(ids);
  return order.filter((id) => want.has(id));
}

// {scenarios, gpus, whole_gpus} -> "pack&s=...". `order`: every GPU id in catalog order.
export function encodePackLink(calc, state, order) {
  const p = new URLSearchParams();
  for (const s of state.scenarios) p.append('s', calc.permalink.encode(s));
  for (const id of canonicalIds(state.gpus, order)) p.append('mig', id);
  for (const id of canonicalIds(state.whole_gpus, order)) p.append('whole', id);
  const q = p.toString();
  return q ? `${MARK}&${q}` : MARK;
}

// The link's text (with or without '#') -> {scenarios, gpus, whole_gpus}. `known`: {mig: Set of
// MIG GPU ids, all: Set of every GPU id, order: [ids]}.
export function decodePackLink(calc, hash, known) {
  const text = String(hash).replace(/^#/, '');
  if (!isPackLink(text)) throw new PackLinkError('not a pack list (it must start with "pack")');
  if (text.length > MAX_LINK_BYTES) {
    throw new PackLinkError(`is ${text.length} characters, more than the ${MAX_LINK_BYTES} accepted`);
  }
  const scenarios = [];
  const gpus = new Set();
  const whole = new Set();
  // URLSearchParams never throws: a malformed %-escape stays as typed, and the core then names it.
  for (const [key, value] of new URLSearchParams(text.slice(MARK.length))) {
    if (key === 's') {
      if (scenarios.length >= MAX_ENTRIES) throw new PackLinkError(`holds more than ${MAX_ENTRIES} entries`);
      try {
        scenarios.push(calc.permalink.decode(value));
      } catch (e) {
        throw new PackLinkError(`entry ${scenarios.length + 1}: ${e.message}`);
      }
    } else if (key === 'mig') {
      if (!known.mig.has(value)) throw new PackLinkError(`mig=${short(value)} is not a GPU with MIG slices`);
      gpus.add(value);
    } else if (key === 'whole') {
      if (!known.all.has(value)) throw new PackLinkError(`whole=${short(value)} is not a GPU of the catalog`);
      whole.add(value);
    } else {
      throw new PackLinkError(`unknown key ${short(key)} (a pack link holds s, mig and whole)`);
    }
  }
  return {scenarios, gpus: canonicalIds([...gpus], known.order), whole_gpus: canonicalIds([...whole], known.order)};
}
