// Runs before the first paint: a classic script in <head>, inlined there by web/build.mjs (allowed
// by its hash in the page's policy), so the first paint waits for no request but the HTML.
// - It applies the stored theme, so a dark page does not flash light.
// - It hides the pre-rendered default result (web/prerender.mjs) until the live page draws its own
//   where that could differ from it: the address names another scenario, or the reader keeps
//   custom entries (one may replace the default's GPU or model).
// - It starts the page's scripts. Where the first frame shows the pre-rendered result, they start
//   after that frame: parsing and compiling them competes with its layout and raster for the
//   reader's cores (bench/first_load.mjs: on two cores, the first paint came 0.2× later with
//   them). Otherwise at once. The WebAssembly module is preloaded by the HTML either way: its
//   download costs the main thread nothing.
// Without scripts the page says it needs them (<noscript>); the default's numbers are then still
// what the address without its fragment shows.
// The storage keys are app.js's (initTheme) and custom-store.js's: a classic script cannot import them.
(() => {
  const root = document.documentElement;
  let custom = null;
  try {
    const theme = localStorage.getItem('gpu-fit.theme');
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
    custom = localStorage.getItem('gpu-fit.custom.v1');
  } catch (e) { /* no storage */ }
  const meta = document.querySelector('meta[name="gpu-fit-prerendered"]');
  const otherScenario = location.hash.length > 1 && !(meta && meta.content === location.hash);
  const shown = !otherScenario && !custom && !!(meta && meta.content);
  if (otherScenario || custom) root.classList.add('linked');
  else if (shown) root.dataset.prerenderedShown = 'true';  // for bench/first_load.mjs

  // The entry module first, then the modules it imports (web/build.mjs writes the list).
  const modules = (document.querySelector('meta[name="gpu-fit-modules"]')?.content || '').split(' ').filter(Boolean);
  const start = () => {
    for (const href of modules.slice(1)) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.href = href;
      document.head.append(link);
    }
    const run = () => {
      const script = document.createElement('script');
      script.type = 'module';  // an inserted module runs as soon as it can: after the document is parsed, here
      script.src = modules[0];
      document.head.append(script);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
    else run();
  };
  if (!modules.length) return;
  let started = false;
  const go = () => {
    if (started) return;
    started = true;
    start();
  };
  if (!shown || document.visibilityState !== 'visible') return go();
  // Once the first contentful paint is on screen (the paint timing entry comes after it is
  // presented: raster included); where a browser has no such entry, after the frame that draws
  // the parsed document. A second at most either way.
  setTimeout(go, 1000);
  if (PerformanceObserver.supportedEntryTypes?.includes('paint')) {
    new PerformanceObserver((list, observer) => {
      if (!list.getEntriesByName('first-contentful-paint').length) return;
      observer.disconnect();
      go();
    }).observe({type: 'paint', buffered: true});
  } else {
    const afterFirstFrame = () => requestAnimationFrame(() => setTimeout(go, 0));
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', afterFirstFrame);
    else afterFirstFrame();
  }
})();
