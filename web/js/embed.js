// embed.html: the widget for hosts that allow no scripts, in an iframe. It takes the widget's
// attributes from its URL (?model=llama-3.1-70b&gpus=l4,a100-80gb-sxm&view=compare, or after #)
// and fills the frame.
import {GpuFitElement} from '../widget/gpu-fit-element.js';

GpuFitElement.define();
const widget = document.getElementById('widget');
const params = new URLSearchParams(location.search || location.hash.slice(1));
for (const [name, value] of params) {
  // Attribute names are the widget's (its own and the scenario fields' in the core's schema);
  // anything else is ignored by the widget. setAttribute takes the text as data: nothing in the URL
  // is parsed as markup.
  if (/^[a-z][a-z0-9-]{0,40}$/.test(name)) widget.setAttribute(name, value.slice(0, 2000));
}
