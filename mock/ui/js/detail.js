// One exchange, whole: what came in (query, header, body), what went out
// (the answer, pretty-printed), and beside a non-zero errcode the row of
// the spec's errcode table that says what it means and what to do.

import {$, copyButton, el, fullTime, pretty, shellQuote} from './dom.js';
import {errmsg} from './journal.js';

export class Detail {
  // onFilter(name, value) is called to filter the journal by a field.
  constructor({onFilter}) {
    this.root = $('#detail');
    this.onFilter = onFilter;
    this.operations = new Map(); // operationId -> GET errcodes' operation
  }

  // setOperations takes GET errcodes' answer.
  setOperations(list) {
    this.operations = new Map(list.map((o) => [o.operation, o]));
  }

  hide() {
    this.root.hidden = true;
    this.root.parentElement.classList.remove('with-detail');
    this.root.replaceChildren();
    document.querySelector('#journal tr.selected')?.classList.remove('selected');
  }

  show(e) {
    this.root.replaceChildren(
      el('div', {class: 'detail-head'},
        el('h2', {}, `${e.method} ${e.path}`),
        el('button', {type: 'button', class: 'close', title: 'Close', onclick: () => this.hide()}, '×')),
      this.facts(e),
      violations(e),
      this.errcodeRow(e),
      el('h3', {}, 'Request'),
      el('pre', {class: 'request-line'}, requestLine(e)),
      pairs('query', e.query),
      pairs('header', e.header),
      el('h4', {}, 'body'),
      el('pre', {class: 'body'}, e.body === '' ? '(empty)' : pretty(e.body)),
      el('h3', {}, `Answer: HTTP ${e.status}`),
      el('pre', {class: 'answer'}, e.answer === '' ? '(nothing)' : pretty(e.answer)),
      e.truncated.length > 0 && el('p', {class: 'bad'}, `Cut at 4 KiB by the journal: ${e.truncated.join(', ')}.`),
      el('p', {}, copyButton(curl(e), 'copy as curl', 'Copy this request as a curl command')));
    this.root.hidden = false;
    this.root.parentElement.classList.add('with-detail');
  }

  facts(e) {
    const dl = el('dl', {class: 'facts'});
    const fact = (name, value, filter) => {
      if (value === '' || value === undefined || value === null) return;
      const dd = el('dd', {}, String(value));
      if (filter) dd.append(' ', el('button', {type: 'button', class: 'link', title: `Show only the exchanges with this ${filter}`, onclick: () => this.onFilter(filter, String(value))}, 'filter'));
      dl.append(el('dt', {}, name), dd);
    };
    fact('time', `${fullTime(e.time, true)} on the fake's clock`);
    fact('rid', e.rid, 'rid');
    fact('operation', e.operation, 'operation');
    fact('appid', e.appid, 'appid');
    fact('component', e.component, 'component');
    fact('env', e.env, 'env');
    fact('errcode', e.errcode, 'errcode');
    fact('errmsg', errmsg(e));
    fact('cause', e.cause, 'cause');
    fact('scenario', e.scenario, 'scenario');
    fact('fault', e.fault, 'fault');
    return dl;
  }

  // errcodeRow returns the spec's row for a non-zero errcode.
  errcodeRow(e) {
    if (e.errcode === undefined || e.errcode === 0) return null;
    const op = this.operations.get(e.operation);
    const row = op?.errcodes.find((r) => r.code === e.errcode);
    if (!row) {
      const where = op ? `${e.operation}'s errcode table` : 'the spec';
      return el('div', {class: 'errcode-row'}, el('p', {}, `Errcode ${e.errcode} is not in ${where}.`));
    }
    return el('div', {class: 'errcode-row'},
      el('h3', {}, `${row.code} ${row.errmsg}`),
      el('dl', {},
        el('dt', {}, 'meaning'), el('dd', {class: 'meaning'}, row.meaning),
        el('dt', {}, 'solution'), el('dd', {class: 'solution'}, row.solution),
        row.when && el('dt', {}, 'the fake answers it for'), row.when && el('dd', {}, row.when.join(', ')),
        row.scenario && el('dt', {}, 'forced by'), row.scenario && el('dd', {}, el('code', {}, row.scenario)),
        el('dt', {}, 'against production'), el('dd', {}, row.live ? 'safe to provoke (live)' : 'not provoked by the live suite')));
  }
}

// violations lists how an answer tcbmock proxy forwarded broke the spec.
function violations(e) {
  if (!e.violations?.length) return null;
  return el('div', {class: 'errcode-row violations'},
    el('h3', {}, `The answer broke the spec ${e.violations.length === 1 ? 'once' : `${e.violations.length} times`}`),
    el('ul', {}, e.violations.map((v) => el('li', {}, el('code', {}, v)))));
}

function pairs(title, map) {
  const keys = Object.keys(map || {}).sort();
  if (keys.length === 0) return el('p', {class: 'muted'}, `no ${title}`);
  return el('div', {},
    el('h4', {}, title),
    el('table', {class: `pairs ${title}`}, el('tbody', {}, keys.map((k) => el('tr', {}, el('th', {}, k), el('td', {}, map[k]))))));
}

function requestLine(e) {
  const q = new URLSearchParams(e.query).toString();
  return `${e.method} ${e.path}${q ? `?${q}` : ''}`;
}

// skipped are the headers curl sets itself.
const skipped = new Set(['host', 'content-length', 'accept-encoding', 'connection', 'user-agent']);

// curl returns the request as a curl command against this fake.
export function curl(e) {
  const q = new URLSearchParams(e.query).toString();
  const parts = ['curl', '-X', e.method, shellQuote(`${location.origin}${e.path}${q ? `?${q}` : ''}`)];
  for (const [k, v] of Object.entries(e.header || {}).sort()) {
    if (!skipped.has(k.toLowerCase())) parts.push('-H', shellQuote(`${k}: ${v}`));
  }
  if (e.body !== '') parts.push('--data-raw', shellQuote(e.body));
  return parts.join(' ');
}
