// The scenarios: what each forces and on which operations, the header that
// forces one on a request, and tokens minted bound to one.

import {api} from './api.js';
import {$, copyButton, el, fill, shellQuote} from './dom.js';
import {deleteButton} from './steer.js';

export class Scenarios {
  // onJournal(name) shows the exchanges a scenario answered; onError(err)
  // shows a failed call.
  // onDelete(kind, name) deletes one added at run time.
  constructor({onJournal, onError, onDelete}) {
    this.onJournal = onJournal;
    this.onError = onError;
    this.onDelete = onDelete;
    this.list = [];
    this.operations = new Map();
    $('#scenario-search').addEventListener('input', () => this.render());
    $('#mint-form').addEventListener('submit', (ev) => { ev.preventDefault(); this.mint(); });
  }

  // set takes GET scenarios', apps' and errcodes' answers.
  set(scenarios, apps, operations) {
    this.list = scenarios;
    this.operations = new Map(operations.map((o) => [o.operation, o]));
    const appSelect = $('#mint-app');
    const chosen = appSelect.value;
    fill(appSelect, apps.map((a) => a.appid));
    if (chosen) appSelect.value = chosen;
    fill($('#mint-scenario'), scenarios.map((s) => s.name), 1);
    this.render();
  }

  render() {
    const words = $('#scenario-search').value.trim().toLowerCase();
    const shown = this.list.filter((s) => !words || `${s.name} ${s.description} ${s.operations.join(' ')}`.toLowerCase().includes(words));
    $('#scenarios tbody').replaceChildren(...shown.map((s) => this.row(s)));
  }

  row(s) {
    const header = `X-Tcbmock-Scenario: ${s.name}`;
    return el('tr', {dataset: {scenario: s.name}},
      el('td', {class: 'c-name'}, el('code', {}, s.name)),
      el('td', {class: 'c-description'}, s.description),
      el('td', {class: 'c-covers'}, s.operations.join(', ')),
      el('td', {class: 'c-answers'}, steps(s)),
      el('td', {class: 'c-file muted'}, s.origin),
      el('td', {class: 'actions'},
        copyButton(header, 'copy header', `Copy "${header}"`),
        el('button', {type: 'button', title: 'Mint a token bound to this scenario', onclick: () => this.prepare(s.name)}, 'mint token'),
        el('button', {type: 'button', title: 'Show the exchanges it answered', onclick: () => this.onJournal(s.name)}, 'journal'),
        deleteButton('scenarios', s.name, s.origin, this.onDelete)));
  }

  prepare(name) {
    $('#mint-scenario').value = name;
    $('#mint-form').scrollIntoView({block: 'nearest'});
    $('#mint-app').focus();
  }

  async mint() {
    const appid = $('#mint-app').value;
    const scenario = $('#mint-scenario').value;
    const body = {appid, scenario};
    const secs = $('#mint-expires').value.trim();
    if (secs !== '') body.expires_in = Number(secs);
    try {
      const {access_token: token, expires_in: life} = await api('POST', 'tokens', body);
      $('#mint-result').replaceChildren(
        el('p', {}, `A token for ${appid}`, scenario ? `, bound to ${scenario}` : '', `, for ${life} s:`),
        el('p', {}, el('code', {class: 'token'}, token), ' ', copyButton(token, 'copy token')),
        this.example(scenario, token));
    } catch (err) {
      $('#mint-result').replaceChildren(el('p', {class: 'bad'}, err.message));
      this.onError(err);
    }
  }

  // example returns a curl call that uses token, of the first operation the
  // scenario covers that takes a token (getenvinfo without a scenario).
  example(scenario, token) {
    const s = this.list.find((x) => x.name === scenario);
    const ids = s ? s.operations : ['getEnvInfo'];
    const op = ids.map((id) => this.operations.get(id)).find((o) => o?.token);
    if (!op) return null;
    const url = `${location.origin}${op.path}?${op.token.params[0]}=${encodeURIComponent(token)}`;
    const cmd = ['curl', '-X', op.method, shellQuote(url)];
    if (op.method === 'POST') cmd.push('-d', shellQuote('{}'));
    const text = cmd.join(' ');
    return el('p', {}, el('code', {class: 'example'}, text), ' ', copyButton(text, 'copy curl'));
  }
}

// steps describes what a scenario answers, step by step; the last repeats.
function steps(s) {
  const one = (st) => {
    const parts = [];
    if (st.natural) parts.push('the real answer');
    else if (st.body) parts.push(st.errcode === undefined ? 'a body' : `a body with errcode ${st.errcode}`);
    else if (st.errcode !== undefined) parts.push(`errcode ${st.errcode}`);
    if (st.fault) parts.push(st.fault === 'dribble' ? `dribbled over ${st.dribble || '2s'}` : st.fault);
    if (st.delay) parts.push(`after ${st.delay}`);
    return parts.join(', ');
  };
  const list = s.steps.map(one);
  return list.length > 1 ? `${list.join(' → ')} (the last repeats)` : list.join('');
}
