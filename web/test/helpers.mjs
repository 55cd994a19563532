// Shared by the browser tests: the built site served on 127.0.0.1 by an in-process server, and
// Debian's chromium driven by playwright-core (no browser download).
import {chromium} from 'playwright-core';
import {after, before} from 'node:test';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import {mkdir, mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startServer} from '../serve.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const siteDir = path.resolve(process.env.GPUFIT_WEB_DIR ?? path.join(root, 'build-wasm/web'));
export const cli = process.env.GPUFIT_CLI ?? path.join(root, 'build/cli/gpucalc');
export const artifacts = path.resolve(process.env.GPUFIT_ARTIFACTS ?? path.join(root, 'test-results'));

export async function serve(dir = siteDir, options) {
  const server = await startServer(dir, 0, options);
  return {server, base: `http://127.0.0.1:${server.address().port}/`};
}

export async function launch() {
  await mkdir(artifacts, {recursive: true});
  return chromium.launchPersistentContext(await mkdtemp(path.join(tmpdir(), 'gpufit-chromium-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: {width: 1280, height: 900},
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// The built site served and a browser launched for the tests of one file: the returned object's
// browser, server and base are set before the first test and closed after the last. `routes`
// (path -> {type, headers, body}) adds pages; it may be filled once base is known.
export function browserSession({routes} = {}) {
  const session = {browser: null, server: null, base: ''};
  before(async () => {
    Object.assign(session, await serve(siteDir, {routes}));
    session.browser = await launch();
  });
  after(async () => {
    await session.browser?.close();
    session.server?.close();
  });
  return session;
}

// A new page of the session's site at `hash`, once it has answered (a result or the message beside
// the field at fault); with the problems it reports. `setup(page)` runs before the navigation.
export async function openPage(session, hash = '', {viewport, setup} = {}) {
  const page = await session.browser.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems = watch(page);
  if (setup) setup(page);
  await page.goto(`${session.base}${hash ? `#${hash}` : ''}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, {timeout: 30000});
  return {page, problems};
}

// What the page computed last, and the scenario it computed it for.
export const pageResult = (page) => page.evaluate(() => globalThis.gpuFitPage.result());
export const pageScenario = (page) => page.evaluate(() => globalThis.gpuFitPage.scenario());

// Console errors and warnings, page errors and CSP violations of a page.
export function watch(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

export function nativeEvaluate(scenario) {
  return JSON.parse(execFileSync(cli, ['evaluate', '-', '--format', 'json'], {input: JSON.stringify(scenario)}).toString());
}

export function today() {
  return new Date().toISOString().slice(0, 10);
}

// Every number equal to `rel` relative, every other value equal, the same keys on both sides;
// `skip` lists keys not compared.
export function sameNumbers(a, b, {rel = 1e-12, skip = [], where = ''} = {}) {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(Math.abs(a), Math.abs(b), 1e-300);
    if (Math.abs(a - b) / scale > rel) throw new Error(`${where}: ${a} vs ${b}`);
    return;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) throw new Error(`${where}: length ${a.length} vs ${b.length}`);
    a.forEach((x, i) => sameNumbers(x, b[i], {rel, skip, where: `${where}[${i}]`}));
    return;
  }
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object') throw new Error(`${where}: an object vs ${JSON.stringify(b)}`);
    const keys = (o) => Object.keys(o).filter((k) => !skip.includes(k)).sort().join(',');
    if (keys(a) !== keys(b)) throw new Error(`${where}: keys ${keys(a)} vs ${keys(b)}`);
    for (const k of Object.keys(a)) {
      if (!skip.includes(k)) sameNumbers(a[k], b[k], {rel, skip, where: `${where}.${k}`});
    }
    return;
  }
  if (a !== b) throw new Error(`${where}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The site's files a page had fetched by `untilMs` (performance.now() of the page), with their
// bytes on disk and gzipped (-6, what a static host typically serves): the first-load figures.
export async function fetchedBytes(page, untilMs, {skip = () => false} = {}) {
  const paths = await page.evaluate((t) => [location.pathname,
    ...performance.getEntriesByType('resource').filter((e) => e.responseEnd <= t).map((e) => new URL(e.name).pathname)], untilMs);
  const files = [...new Set(paths.map((f) => (f.endsWith('/') ? `${f}index.html` : f)))]
    .filter((f) => !skip(f) && f !== '/favicon.ico');
  let raw = 0, gz = 0;
  for (const f of files) {
    const body = readFileSync(path.join(siteDir, f));
    raw += body.length;
    gz += gzipSync(body).length;
  }
  return {files, raw, gz};
}
