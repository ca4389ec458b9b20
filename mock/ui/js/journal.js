// The journal: a table of the exchanges the fake answered, newest first,
// fed by the journal stream and filtered by the server with the same
// filters as GET requests.

import {api} from './api.js';
import {$, clockTime, el, fullTime, parseJSON} from './dom.js';
import {Stream} from './stream.js';

// maxRows bounds the rows the table keeps; older ones are dropped.
const maxRows = 1000;

// filterNames are the inputs of the filter form, GET requests' parameters.
const filterNames = ['path', 'operation', 'appid', 'component', 'env', 'scenario', 'errcode', 'status', 'cause', 'fault', 'rid'];

export class Journal {
  // onSelect(entry) is called when an exchange is clicked, onClear() when
  // the journal was emptied, onState(s) with the stream's state.
  constructor({onSelect, onClear, onState}) {
    this.body = $('#journal tbody');
    this.form = $('#filters');
    this.entries = new WeakMap(); // row -> entry
    this.onSelect = onSelect;
    this.onClear = onClear;
    this.onState = onState;
    this.paused = false;
    this.held = [];
    this.count = 0;
    this.connected = false; // the stream answered: "No request yet" is true
    this.body.addEventListener('click', (ev) => this.select(ev.target.closest('tr')));
    this.body.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') this.select(ev.target.closest('tr')); });
    let timer;
    this.form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => this.follow(), 350); });
    this.form.addEventListener('submit', (ev) => { ev.preventDefault(); this.follow(); });
    this.form.addEventListener('reset', () => setTimeout(() => this.follow(), 0));
    $('#pause').addEventListener('click', () => this.pause(!this.paused));
    $('#clear-journal').addEventListener('click', () => api('DELETE', 'requests').catch(() => {}));
  }

  // query returns the filters as GET requests' query.
  query() {
    const q = new URLSearchParams();
    for (const name of filterNames) {
      const v = this.form.elements[name].value.trim();
      if (v !== '') q.set(name, v);
    }
    return q;
  }

  // filter sets one filter and follows the journal with it.
  filter(name, value) {
    this.form.elements[name].value = value;
    this.follow();
  }

  // follow (re)starts the stream with the filters of the form.
  follow() {
    this.stream?.stop();
    this.reset();
    $('#filter-error').textContent = '';
    this.stream = new Stream(this.query(), {
      requests: (entries, unseen, fresh) => this.receive(entries, unseen, fresh),
      clear: () => { this.reset(); this.onClear(); },
      state: (s) => { this.connected = s === 'live'; this.update(); this.onState(s); },
      error: (message) => { $('#filter-error').textContent = message; },
    }).start();
  }

  stop() { this.stream?.stop(); }

  reset() {
    this.body.replaceChildren();
    this.held = [];
    this.count = 0;
    $('#journal-older').hidden = true;
    this.update();
  }

  pause(on) {
    this.paused = on;
    $('#pause').setAttribute('aria-pressed', String(on));
    $('#pause').textContent = on ? 'Resume' : 'Pause';
    if (!on) {
      for (const [entries, unseen] of this.held) this.show(entries, unseen);
      this.held = [];
    }
    this.update();
  }

  receive(entries, unseen, fresh) {
    if (fresh) {
      const older = $('#journal-older');
      older.hidden = unseen === 0;
      older.textContent = `The journal holds ${unseen} older ${unseen === 1 ? 'entry' : 'entries'} that this page does not show: GET /__tcbmock/requests lists them all.`;
      unseen = 0;
    }
    if (this.paused) {
      this.held.push([entries, unseen]);
      while (this.held.length > 1 && heldCount(this.held) > maxRows) this.held.shift();
    } else {
      this.show(entries, unseen);
    }
    this.update();
  }

  // show adds entries (oldest first) at the top, after a row that counts
  // the entries the stream skipped, if any.
  show(entries, unseen) {
    const rows = document.createDocumentFragment();
    if (unseen > 0) rows.append(gapRow(unseen));
    for (const e of entries) rows.prepend(this.row(e));
    this.body.prepend(rows);
    this.count += entries.length;
    while (this.body.rows.length > maxRows) {
      const last = this.body.lastElementChild;
      if (!last.classList.contains('gap')) this.count--;
      last.remove();
    }
  }

  row(e) {
    const tr = el('tr', {tabindex: 0, dataset: {rid: e.rid}, class: rowClass(e)},
      cell('time', clockTime(e.time), `${fullTime(e.time, true)} on the fake's clock`),
      cell('method', e.method),
      cell('path', e.path),
      cell('operation', e.operation),
      cell('appid', e.appid, e.component ? `through the platform ${e.component}` : ''),
      cell('errcode', e.errcode ?? ''),
      cell('errmsg', errmsg(e)),
      cell('cause', e.cause),
      cell('scenario', e.scenario),
      cell('fault', e.fault),
      cell('status', e.status),
      cell('rid', e.rid));
    this.entries.set(tr, e);
    return tr;
  }

  select(tr) {
    const e = tr && this.entries.get(tr);
    if (!e) return;
    this.body.querySelector('tr.selected')?.classList.remove('selected');
    tr.classList.add('selected');
    this.onSelect(e);
  }

  update() {
    $('#journal-empty').hidden = this.count > 0 || !this.connected;
    $('#journal-connecting').hidden = this.count > 0 || this.connected;
    $('#journal-count').textContent = `${this.count} shown`;
    $('#paused-count').textContent = this.paused ? `${heldCount(this.held)} new while paused` : '';
  }
}

const heldCount = (held) => held.reduce((n, [entries]) => n + entries.length, 0);

function cell(name, text, title) {
  return el('td', {class: `c-${name}`, title: title || (text ? String(text) : undefined)}, text ?? '');
}

function gapRow(unseen) {
  return el('tr', {class: 'gap'}, el('td', {colspan: 12},
    `${unseen} ${unseen === 1 ? 'request' : 'requests'} not shown here: they came faster than the page shows them. Filter, or read GET /__tcbmock/requests.`));
}

// errmsg returns the answer's errmsg without its rid, which has a column.
export function errmsg(e) {
  const a = parseJSON(e.answer);
  if (!a || typeof a.errmsg !== 'string') return '';
  return a.errmsg.replace(/,? rid: \S+$/, '');
}

function rowClass(e) {
  if (e.fault || e.status !== 200) return 'fault';
  if (e.errcode !== undefined && e.errcode !== 0) return 'refused';
  return 'ok';
}
