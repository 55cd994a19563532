// Runs before the first paint: a classic script in <head>, not a module (modules run after the
// document is parsed and drawn). It applies the stored theme, so a dark page does not flash light,
// and hides the pre-rendered default result (web/prerender.mjs) when the address names another
// scenario, until the live page draws the one linked: a reader never sees numbers for a scenario
// they did not ask for.
(() => {
  const root = document.documentElement;
  try {
    const theme = localStorage.getItem('gpu-fit.theme');
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  } catch (e) { /* no storage */ }
  const meta = document.querySelector('meta[name="gpu-fit-prerendered"]');
  if (location.hash.length > 1 && !(meta && meta.content === location.hash)) root.classList.add('linked');
  else if (meta && meta.content) root.dataset.prerenderedShown = 'true';  // for bench/first_load.mjs
})();
