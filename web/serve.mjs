// A small static server for the built site (build-wasm/web): the README's first command and the
// browser tests use it. Loopback only, explicit MIME types (.wasm must be application/wasm for
// streaming compilation), no directory listings, no path outside the root.
//   node web/serve.mjs build-wasm/web 8080
import {createServer} from 'node:http';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

// The site's policy, sent as the header of what is not a page with its own. A host that sends a
// site-wide policy header must send each page's own for its HTML: index.html's allows its inline
// stylesheet and first-paint script by hash, which this one cannot.
// connect-src names the Hugging Face Hub: the page reads a Hub model's headers with Range requests.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co; object-src 'none'; base-uri 'none'";

// A page that states its own policy in a meta tag is served with it as its header too.
function pagePolicy(file, body) {
  if (path.extname(file) !== '.html') return null;
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(body.toString('utf8', 0, 4096));
  return meta ? meta[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&') : null;
}

// `routes` adds pages that are not files ({'/blog.html': {type, body}}): the tests' host pages.
export function startServer(root, port = 0, {headers = {}, routes = {}} = {}) {
  const base = path.resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      const route = routes[url.pathname];
      if (route) {
        res.writeHead(200, {'Content-Type': route.type || TYPES['.html'], 'X-Content-Type-Options': 'nosniff', ...(route.headers || {})});
        res.end(route.body);
        return;
      }
      let file = path.normalize(path.join(base, decodeURIComponent(url.pathname)));
      if (file !== base && !file.startsWith(base + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Content-Security-Policy': pagePolicy(file, body) ?? CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404, {'Content-Type': 'text/plain'}).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root = 'build-wasm/web', port = '8080'] = process.argv.slice(2);
  const server = await startServer(root, Number(port));
  console.log(`serving ${path.resolve(root)} on http://127.0.0.1:${server.address().port}`);
}
