// The single-file page's entry (web/build.mjs bundles it into one classic script): the packed
// inline data are set up first, then the page runs as app.js does on the site.
import './inline-data.js';
import './app.js';
