// Building elements and formatting values. Every value from the fake goes
// into the page as text: el() appends strings as text nodes, and no code
// of the page has a string parsed as HTML.

// el returns a new element: el('td', {class: 'x', dataset: {rid: r}}, 'text', child).
// Attributes named on… are event listeners; false, null and undefined are left out.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(e.dataset, value);
    else if (name.startsWith('on')) e.addEventListener(name.slice(2), value);
    else e.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    e.append(child instanceof Node ? child : String(child));
  }
  return e;
}

// $ returns the first element that matches selector.
export const $ = (selector, root = document) => root.querySelector(selector);

// parseJSON returns the value of text, or undefined when it is not JSON.
export function parseJSON(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// pretty returns text indented when it is JSON, else as it is.
export function pretty(text) {
  const v = parseJSON(text);
  return v === undefined ? text : JSON.stringify(v, null, 2);
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

// clockTime formats an RFC 3339 time as hh:mm:ss.mmm in the browser's zone.
export function clockTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

// fullTime formats an RFC 3339 time as YYYY-MM-DD hh:mm:ss in the browser's
// zone, with .mmm when ms is true.
export function fullTime(iso, ms = false) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return ms ? `${s}.${pad(d.getMilliseconds(), 3)}` : s;
}

// duration formats a number of seconds as 1 h 59 min, 4 min 05 s or 12 s.
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  if (h > 0) return `${h} h ${pad(m)} min`;
  if (m > 0) return `${m} min ${pad(r)} s`;
  return `${r} s`;
}

// copy puts text on the clipboard and says so on the button.
export async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = el('textarea', {class: 'offscreen'}, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  if (button) {
    const was = button.textContent;
    button.textContent = 'copied';
    setTimeout(() => { button.textContent = was; }, 1200);
  }
}

// copyButton returns a button that copies text.
export function copyButton(text, label = 'copy', title = '') {
  const b = el('button', {type: 'button', class: 'copy', title: title || `Copy ${text}`});
  b.textContent = label;
  b.addEventListener('click', (ev) => { ev.stopPropagation(); copy(text, b); });
  return b;
}

// shellQuote quotes s for a POSIX shell.
export const shellQuote = (s) => `'${String(s).replaceAll("'", `'\\''`)}'`;

// fill replaces the options of a datalist or select with values.
export function fill(list, values, keep = 0) {
  while (list.options.length > keep) list.options[keep].remove();
  for (const v of values) list.append(el('option', {value: v}, list.tagName === 'SELECT' ? v : ''));
}
