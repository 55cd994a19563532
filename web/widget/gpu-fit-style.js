// The widget's styles, applied inside its shadow root as a constructed stylesheet (no <style>
// element, so strict Content Security Policies allow it). `.body { all: initial }` stops the host
// page's inherited styles (color, font, line-height) at the boundary; nothing here reaches out.
export const WIDGET_CSS = `
:host { display: block; max-width: 100%; container-type: inline-size; }
:host([hidden]) { display: none; }
.body { all: initial; display: block; box-sizing: border-box; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 0.8rem 1rem; overflow-wrap: anywhere;
  --bg: #ffffff; --fg: #17202a; --muted: #4f5b66; --line: #d5dbe1; --panel: #f5f7f9; --accent: #0b5cad; --ok: #1d6b34; --bad: #a32020;
  --warn-bg: #fff6d6; --warn-fg: #5c4200;
  --seg-weights: #3a6fb0; --seg-kv_cache: #2f9e8f; --seg-activations: #c78a1b; --seg-overhead: #8a8f96; --seg-optimizer: #9a4fb4;
  --seg-gradients: #c0507a; --seg-free: #e4e8ec; }
.body * { box-sizing: border-box; }
@media (prefers-color-scheme: dark) {
  .body.theme-auto { --bg: #12161b; --fg: #e6ebf0; --muted: #a9b4bf; --line: #35404b; --panel: #1b2129; --accent: #7fb6ff; --ok: #7fd491;
    --bad: #ff8f8f; --warn-bg: #3a3012; --warn-fg: #ffe08a; --seg-free: #2a323c; }
}
.body.theme-dark { --bg: #12161b; --fg: #e6ebf0; --muted: #a9b4bf; --line: #35404b; --panel: #1b2129; --accent: #7fb6ff; --ok: #7fd491;
  --bad: #ff8f8f; --warn-bg: #3a3012; --warn-fg: #ffe08a; --seg-free: #2a323c; }
a { color: var(--accent); }
p { margin: 0.3rem 0; }
.verdict { border-left: 4px solid var(--ok); padding: 0.2rem 0.6rem; background: var(--panel); border-radius: 4px; }
.verdict.bad { border-left-color: var(--bad); }
.error { color: var(--bad); }
.membar { position: relative; display: flex; height: 1.1rem; border-radius: 5px; overflow: hidden; margin: 0.6rem 0 0.2rem; border: 1px solid var(--line); }
.seg { display: block; height: 100%; }
.seg-weights { background: var(--seg-weights); } .seg-kv_cache { background: var(--seg-kv_cache); } .seg-activations { background: var(--seg-activations); }
.seg-overhead { background: var(--seg-overhead); } .seg-optimizer { background: var(--seg-optimizer); } .seg-gradients { background: var(--seg-gradients); }
.seg-free { background: var(--seg-free); }
.membar-limit { position: absolute; top: -2px; bottom: -2px; width: 3px; background: var(--bad); }
.legend { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0 0.8rem; font-size: 0.8rem; color: var(--muted); }
.swatch { display: inline-block; width: 0.7rem; height: 0.7rem; border-radius: 2px; margin-right: 0.25rem; }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: 0.5rem; margin: 0.6rem 0; }
.stat { background: var(--panel); border-radius: 6px; padding: 0.35rem 0.5rem; }
.stat .label, .stat .detail { display: block; font-size: 0.76rem; color: var(--muted); }
.stat .value { display: block; font-weight: 600; font-size: 1.02rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin: 0.4rem 0; }
th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid var(--line); }
.band, .credit { font-size: 0.78rem; color: var(--muted); }
.warnings, .measured { margin: 0.3rem 0; padding-left: 1.1rem; font-size: 0.8rem; }
.warnings li { color: var(--warn-fg); background: var(--warn-bg); border-radius: 3px; padding: 0 0.3rem; margin: 0.1rem 0; }
.editor { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: 0.4rem 0.6rem; margin-bottom: 0.5rem; }
.editor label span { display: block; font-size: 0.76rem; color: var(--muted); }
.editor select, .editor input { font: inherit; width: 100%; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 5px; padding: 0.15rem 0.3rem; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
@container (max-width: 360px) { .stats { grid-template-columns: 1fr 1fr; } }
`;
