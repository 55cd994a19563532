// A loopback stand-in for the Hugging Face Hub's file endpoint, for the tests of gpucalc's (and the
// page's) Hub fetching:
//   GET /{org}/{name}/resolve/{rev}/{file}  ->  ROOT/{org}/{name}/{rev}/{file}
// with Range requests (bytes=a-b, bytes=a-, bytes=-n) answered 206 with Content-Range, as the Hub's
// CDN does. Like the Hub, .safetensors files redirect (302) to another path that serves the bytes.
// Repositories under gated/ answer 401 without "Authorization: Bearer $HUB_TEST_TOKEN" (403 with
// another token); under slow/, the server never answers. Every body byte sent is counted per file
// and the counts are written to STATS (JSON: {"/org/name/rev/file": {"requests": n, "bytes": n}})
// before each response is sent, so a test can check what a client transferred.
//   node tests/hub_server.mjs ROOT STATS     prints "port N" once listening on 127.0.0.1
import { createServer } from 'node:http';
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';

const [root, statsFile] = process.argv.slice(2);
if (!root || !statsFile) {
  console.error('usage: node hub_server.mjs ROOT STATS');
  process.exit(2);
}
const stats = {};
const count = (key, bytes) => {
  stats[key] ??= { requests: 0, bytes: 0 };
  stats[key].requests += 1;
  stats[key].bytes += bytes;
  writeFileSync(statsFile, JSON.stringify(stats));
};

function parseRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start, end;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : 'unsatisfiable';
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const lfs = url.pathname.startsWith('/__lfs/');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  // /org/name/resolve/rev/file... or /__lfs/org/name/rev/file...
  let org, name, rev, file;
  if (lfs) [, org, name, rev, ...file] = parts;
  else if (parts[2] === 'resolve') [org, name, , rev, ...file] = parts;
  file = (file ?? []).join('/');
  if (!org || !name || !rev || !file || req.method !== 'GET') {
    res.writeHead(400).end('bad request');
    return;
  }
  if (org === 'slow') return;  // never answers: the client's timeout must end it
  if (org === 'gated') {
    const auth = req.headers.authorization;
    if (!auth) return void res.writeHead(401).end('gated: log in');
    if (auth !== `Bearer ${process.env.HUB_TEST_TOKEN}`) return void res.writeHead(403).end('no access');
  }
  const path = normalize(join(root, org, name, rev, file));
  if (!path.startsWith(normalize(root) + '/')) return void res.writeHead(400).end('bad path');
  let size;
  try {
    size = statSync(path).size;
  } catch {
    res.writeHead(404).end('Entry not found');
    return;
  }
  if (!lfs && file.endsWith('.safetensors')) {
    res.writeHead(302, { Location: `/__lfs/${org}/${name}/${encodeURIComponent(rev)}/${file}` }).end();
    return;
  }
  const key = `/${org}/${name}/${rev}/${file}`;
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const headers = { 'Content-Length': end - start + 1, 'Accept-Ranges': 'bytes' };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  // Read, counted and logged before the first byte leaves, so a client that has its answer
  // finds the count already written (a large body is counted in full even if the client stops).
  const body = Buffer.alloc(end - start + 1);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, body, 0, body.length, start);
  } finally {
    closeSync(fd);
  }
  count(key, body.length);
  res.writeHead(range ? 206 : 200, headers);
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  console.log(`port ${server.address().port}`);
});
