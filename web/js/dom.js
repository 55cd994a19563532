// Building DOM from data without ever parsing markup: every string a user or a URL supplies
// becomes a text node or an attribute value, so it is shown, never run. (No innerHTML anywhere.)

// h('a', {href, class: 'x', onclick: fn}, 'text', child, [more children])
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) {
      // Handlers are functions only: a string here would become inline script.
      if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'href' || key === 'src') {
      el.setAttribute(key, safeUrl(value));
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

// Only http(s), mailto, same-page and relative links: a 'javascript:' or 'data:' URL from a
// catalog entry or a permalink becomes inert.
export function safeUrl(value) {
  const text = String(value).trim();
  if (/^(https?:|mailto:)/i.test(text) || text.startsWith('#') || text.startsWith('./') || /^[\w.-]+(\.html|\.json|\.js|\.css|\.svg|\.png)$/i.test(text)) {
    return text;
  }
  return '#';
}

// A source string may hold URLs among words: link the URLs, keep the rest as text.
export function sourceText(text) {
  const parts = String(text || '').split(/(https?:\/\/[^\s;,()]+)/g);
  return parts.map((part) => (/^https?:\/\//.test(part) ? h('a', {href: part, rel: 'noopener noreferrer', target: '_blank'}, part) : part));
}

export function downloadFile(name, mime, content) {
  const url = URL.createObjectURL(new Blob([content], {type: mime}));
  const a = h('a', {download: name});
  a.href = url;  // blob: URL, set directly (safeUrl is for data we do not make ourselves)
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
