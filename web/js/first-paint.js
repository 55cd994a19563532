// Runs before the first paint: a classic script in <head>, not a module (modules run after the
// document is parsed and drawn), inlined there by web/build.mjs (allowed by its hash in the page's
// policy), so the first paint waits for no request but the HTML. It applies the stored theme, so
// a dark page does not flash light, and hides the pre-rendered default result (web/prerender.mjs)
// until the live page draws its own where that could differ from it: the address names another
// scenario, or the reader keeps custom entries (one may replace the default's GPU or model).
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
  if (otherScenario || custom) root.classList.add('linked');
  else if (meta && meta.content) root.dataset.prerenderedShown = 'true';  // for bench/first_load.mjs
})();
