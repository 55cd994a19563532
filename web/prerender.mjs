// Pre-renders the default scenario's result into index.html: drawn by the page itself from the
// core's answer, in headless Chromium at build time. A reader who opens the page cold sees that
// result as soon as the HTML arrives (web/build.mjs inlines the stylesheet), instead of after the module, the scripts
// and the first call (issue 13: the first result before gpu_poor has its data). The live page
// replaces it when it starts (web/js/app.js). Only the result: the form and the ranking, with
// their 150 options and 360 cells, made the first paint later than the live page's own answer
// (measured: bench/first_load.mjs). A link that names another scenario hides it before the first
// paint (web/js/first-paint.js): a reader never sees numbers for a scenario they did not ask for.
//
// The capture is taken before the measured benchmarks load (their request is refused here), as
// the live page draws its first answer. Inline styles (the bars' widths, set through the CSS
// object model) move into css/app.css (inlined after), keyed by an attribute: the page's style-src 'self'
// policy refuses style attributes.
//   import {prerender} from './prerender.mjs'; await prerender(OUT)  (web/build.mjs calls it)
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {startServer} from './serve.mjs';

// The regions of web/index.html that the capture fills, each as it is written there.
const RESULT = /<div id="result">[\s\S]*?<\/div>(?=\s*<section)/;

export async function prerender(out, {chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium'} = {}) {
  let chromium;
  try {
    ({chromium} = await import('playwright-core'));
  } catch {
    chromium = null;
  }
  if (!chromium || !existsSync(chromiumPath)) {
    console.warn('web/prerender.mjs: no Chromium or playwright-core: index.html is not pre-rendered (bash scripts/setup.sh installs them)');
    return null;
  }
  const server = await startServer(out, 0);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    // The first answer, as the live page draws it before the measured results arrive.
    await context.route(/\/data\/benchmarks\.json$/, (r) => r.abort());
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort());
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.body.dataset.benchmarks === 'failed',
      null, {timeout: 60000});
    // The permalink the page writes for its default scenario (after a short timer): a reload of
    // the default page carries it, and must still show the pre-rendered result.
    await page.waitForFunction(() => location.hash.length > 1, null, {timeout: 10000});
    if (problems.length) throw new Error(`web/prerender.mjs: the page failed: ${problems.join('; ')}`);
    const captured = await page.evaluate(() => {
      const el = document.getElementById('result');
      if (!el.querySelector('.verdict')) throw new Error('no verdict in the first result');
      // Inline styles (the bars' widths) would be refused by style-src 'self': they move into the
      // stylesheet, keyed by an attribute.
      const rules = [];
      for (const styled of el.querySelectorAll('[style]')) {
        styled.dataset.preStyle = rules.length;
        rules.push(`[data-pre-style="${rules.length}"]{${styled.style.cssText}}`);
        styled.removeAttribute('style');
      }
      return {result: el.innerHTML, hash: location.hash, rules};
    });
    await context.close();
    const file = path.join(out, 'index.html');
    let html = readFileSync(file, 'utf8');
    if (!RESULT.test(html)) throw new Error('web/prerender.mjs: index.html has no <div id="result"> before a <section>');
    html = html.replace(RESULT, () => `<div id="result" data-prerendered>${captured.result}</div>`);
    // web/js/first-paint.js compares the address's fragment with this one.
    html = html.replace('<meta name="gpu-fit-prerendered" content="">',
      () => `<meta name="gpu-fit-prerendered" content="${captured.hash.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`);
    writeFileSync(file, html);
    const css = path.join(out, 'css/app.css');
    writeFileSync(css, `${readFileSync(css, 'utf8')}\n${captured.rules.join('')}\n`);
    return {bytes: Buffer.byteLength(html), hash: captured.hash};
  } finally {
    await browser.close();
    server.close();
  }
}
