// Small helpers every page module uses to build its DOM (text only: nothing the API
// answers is ever parsed as HTML).

/** A new element with attributes and, when given, its text. */
export function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** A link to one of the app's pages. */
export function link(href, text, attributes = {}) {
  return element('a', { href, ...attributes }, text);
}

/** The global id in the address's last segment (`/nhiem-vu/<id>`), or null. */
export function idInPath(prefix) {
  const rest = window.location.pathname.slice(prefix.length).replace(/^\/+|\/+$/g, '');
  return rest === '' ? null : decodeURIComponent(rest);
}

/** Marks the page as loaded (for assistive technology and the tests). */
export function loaded() {
  const main = document.getElementById('main');
  main.setAttribute('aria-busy', 'false');
  main.dataset.loaded = String(Date.now());
}
