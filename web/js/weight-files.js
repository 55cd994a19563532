// A model from the files people load: a Hugging Face Hub id (config.json and the safetensors
// headers, fetched from the reader's browser with HTTP Range requests: 8 bytes for the header's
// length, then the header, never the weights) or a GGUF / safetensors file picked or dropped (read
// locally with File.slice, never uploaded). The core parses the bytes (calc.inspectHeader,
// calc.modelFromHeaders); this file only moves them. An access token for gated models is held by
// the caller in memory and sent only to the Hub, never stored or put in a link.

export const HUB = 'https://huggingface.co';
const TIMEOUT_MS = 20000;

export class HubError extends Error {}

// "org/name" or "org/name@revision" (a branch, tag or commit).
export function parseHubId(text) {
  const m = /^\s*([A-Za-z0-9][\w.-]*)\/([\w.-]+)(?:@([\w./-]+))?\s*$/.exec(text || '');
  if (!m) throw new HubError('a Hub id looks like org/name, optionally @revision (meta-llama/Llama-3.1-8B@main)');
  return {org: m[1], name: m[2], revision: m[3] || 'main', id: `${m[1]}/${m[2]}${m[3] ? `@${m[3]}` : ''}`};
}

// One request with a deadline and the Hub's answers in plain words.
async function get(url, {token, range, what, signal}) {
  const headers = {};
  if (range) headers.Range = `bytes=${range[0]}-${range[1]}`;
  if (token) headers.Authorization = `Bearer ${token}`;
  const timer = new AbortController();
  const stop = setTimeout(() => timer.abort(), TIMEOUT_MS);
  signal?.addEventListener('abort', () => timer.abort());
  let r;
  try {
    r = await fetch(url, {headers, signal: timer.signal, credentials: 'omit', cache: 'no-store'});
  } catch (e) {
    if (timer.signal.aborted) throw new HubError(`the Hub did not answer ${what} within ${TIMEOUT_MS / 1000} s`);
    throw new HubError(`could not reach the Hub for ${what} (offline, or blocked): ${e.message}`);
  } finally {
    clearTimeout(stop);
  }
  if (r.status === 401 || r.status === 403) {
    throw new HubError(token
      ? `the Hub refused this token for ${what} (HTTP ${r.status}): accept the model's license on its page, or use a token with access`
      : `${what} is gated or private (HTTP ${r.status}): accept its license on the Hub and paste an access token`);
  }
  if (r.status === 404) throw new HubError(`${what}: not found on the Hub (HTTP 404)`);
  if (!r.ok) throw new HubError(`${what}: HTTP ${r.status} from the Hub`);
  if (range && r.status !== 206) throw new HubError(`${what}: the server ignored the byte range (HTTP ${r.status}), so the weights would be downloaded: stopped`);
  return r;
}

// config.json + every shard's safetensors header -> a custom model (the scenario's "model").
export async function modelFromHub(calc, idText, {token, endpoint = HUB, signal} = {}) {
  const {org, name, revision, id} = parseHubId(idText);
  const base = `${endpoint.replace(/\/$/, '')}/${org}/${name}/resolve/${encodeURIComponent(revision)}/`;
  let fetched = 0;
  const json = async (file) => {
    const r = await get(base + file, {token, what: file, signal});
    const text = await r.text();
    fetched += new TextEncoder().encode(text).length;
    try { return JSON.parse(text); } catch { throw new HubError(`${file} is not JSON`); }
  };
  const config = await json('config.json');
  let shards;
  try {
    const index = await json('model.safetensors.index.json');
    shards = [...new Set(Object.values(index.weight_map || {}))].sort();
    if (!shards.length) throw new HubError('model.safetensors.index.json names no files');
  } catch (e) {
    if (!(e instanceof HubError) || !/not found/.test(e.message)) throw e;
    shards = ['model.safetensors'];
  }
  const headers = [];
  for (const file of shards) {
    const lengthBytes = new Uint8Array(await (await get(base + file, {token, range: [0, 7], what: file, signal})).arrayBuffer());
    fetched += lengthBytes.length;
    if (lengthBytes.length !== 8) throw new HubError(`${file}: too short for a safetensors file`);
    const n = Number(new DataView(lengthBytes.buffer).getBigUint64(0, true));
    if (!Number.isSafeInteger(n) || n > 100e6) throw new HubError(`${file}: a header of ${n} bytes is not believable (limit 100 MB)`);
    const header = new Uint8Array(await (await get(base + file, {token, range: [8, 8 + n - 1], what: file, signal})).arrayBuffer());
    fetched += header.length;
    headers.push(new TextDecoder().decode(header));
  }
  return calc.modelFromHeaders({kind: 'hub', id, config, headers, bytes_fetched: fetched});
}

// A GGUF or safetensors file the reader picked: its first bytes, more while the core asks.
async function inspectFile(calc, file, kind) {
  let want = Math.min(file.size, 256 * 1024);
  for (let round = 0; round < 16; round++) {
    const bytes = new Uint8Array(await file.slice(0, want).arrayBuffer());
    const answer = calc.inspectHeader(bytes, kind, {file_size: file.size, name: file.name});
    if (answer.need_bytes === undefined) return {answer, bytesRead: bytes.length};
    if (want >= file.size) throw new HubError(`${file.name}: the file ends inside its header`);
    want = Math.min(file.size, Math.max(answer.need_bytes, want * 2));
  }
  throw new HubError(`${file.name}: the header did not end within the bytes read`);
}

// Files picked or dropped: one GGUF (its metadata holds the shape), or safetensors shards with
// the model's config.json (a safetensors header lists tensors, not the architecture).
export async function modelFromFiles(calc, fileList) {
  const files = [...fileList];
  const gguf = files.filter((f) => /\.gguf$/i.test(f.name));
  const shards = files.filter((f) => /\.safetensors$/i.test(f.name));
  const config = files.find((f) => f.name === 'config.json' || /config\.json$/i.test(f.name));
  if (gguf.length === 1 && files.length === 1) {
    const {answer, bytesRead} = await inspectFile(calc, gguf[0], 'gguf');
    return {...answer, bytes_read: bytesRead};
  }
  if (gguf.length) throw new HubError('pick one GGUF file (split GGUF files are not read yet)');
  if (!shards.length) throw new HubError('pick a .gguf file, or .safetensors files with their config.json');
  if (!config) throw new HubError('a safetensors header lists tensors, not the architecture: pick the model\'s config.json with the .safetensors files');
  let cfg;
  try { cfg = JSON.parse(await config.text()); } catch { throw new HubError(`${config.name} is not JSON`); }
  const headers = [];
  let read = config.size;
  for (const f of shards.sort((a, b) => a.name.localeCompare(b.name))) {
    const len = new Uint8Array(await f.slice(0, 8).arrayBuffer());
    if (len.length !== 8) throw new HubError(`${f.name}: too short for a safetensors file`);
    const n = Number(new DataView(len.buffer).getBigUint64(0, true));
    if (!Number.isSafeInteger(n) || 8 + n > f.size) throw new HubError(`${f.name}: its header length (${n} bytes) runs past the end of the file`);
    if (n > 100e6) throw new HubError(`${f.name}: a header of ${n} bytes is not believable (limit 100 MB)`);
    headers.push(await f.slice(8, 8 + n).text());
    read += 8 + n;
  }
  const answer = calc.modelFromHeaders({kind: 'safetensors', id: shards.length === 1 ? shards[0].name : `${shards.length} shards`, config: cfg, headers, bytes_fetched: read});
  return {...answer, bytes_read: read};
}
