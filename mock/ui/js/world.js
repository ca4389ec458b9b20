// The world: its apps and their entities (the envs getenvinfo lists), the
// third-party platforms with the refresh tokens they hold now, and the
// tokens that work, with the time each has left on the fake's clock.

import {api} from './api.js';
import {$, copyButton, duration, el} from './dom.js';
import {deleteButton} from './steer.js';

export class World {
  // onDelete(kind, id) deletes an item added at run time.
  constructor({onError, onDelete}) {
    this.onError = onError;
    this.onDelete = onDelete;
  }

  // showApps takes GET apps' answer.
  showApps({apps, components}) {
    $('#apps').replaceChildren(...apps.map((a) => app(a, this.onDelete)));
    $('#components').replaceChildren(...components.map((c) => this.component(c)));
    if (components.length === 0) $('#components').append(el('p', {class: 'muted'}, 'The world has no third-party platform.'));
  }

  async readTokens() {
    const {tokens, total} = await api('GET', 'tokens');
    $('#tokens tbody').replaceChildren(...tokens.map(tokenRow));
    $('#tokens-empty').hidden = total > 0;
    $('#tokens-total').textContent = total > tokens.length ? `(${total}, the ${tokens.length} that work longest shown)` : `(${total})`;
  }

  component(c) {
    const auths = el('table', {class: 'authorizations'},
      el('thead', {}, el('tr', {}, el('th', {}, 'authorizer_appid'), el('th', {}, 'authorizer_refresh_token (now)'), el('th', {}, 'permission sets'), el('th', {}))),
      el('tbody', {}, c.authorizations.map((a) => el('tr', {dataset: {authorizer: a.authorizer_appid}},
        el('td', {}, el('code', {}, a.authorizer_appid)),
        el('td', {class: 'c-refresh'}, el('code', {}, a.authorizer_refresh_token), ' ', copyButton(a.authorizer_refresh_token)),
        el('td', {}, a.permission_sets.join(', ')),
        el('td', {}, el('button', {type: 'button', title: 'The account authorizes the platform again: a new refresh token; the old one works 5 more minutes',
          onclick: () => this.reauthorize(c.component_appid, a.authorizer_appid)}, 'reauthorize'))))));
    return el('article', {class: 'card', dataset: {component: c.component_appid}},
      el('h3', {}, el('code', {}, c.component_appid), ' ', c.description, ' ', deleteButton('components', c.component_appid, c.origin, this.onDelete)),
      el('p', {class: 'muted origin'}, c.origin),
      credentials([['component_appsecret', c.component_appsecret], ['component_verify_ticket', c.component_verify_ticket]]),
      access(c),
      auths);
  }

  async reauthorize(component, authorizer) {
    try {
      await api('POST', 'reauthorize', {component_appid: component, authorizer_appid: authorizer});
      this.showApps(await api('GET', 'apps'));
    } catch (err) {
      this.onError(err);
    }
  }
}

// app returns an app's card: credentials, binding, access, and each list of entities.
function app(a, onDelete) {
  const lists = Object.entries(a).filter(([k, v]) => Array.isArray(v) && k !== 'ip_whitelist');
  return el('article', {class: 'card', dataset: {appid: a.appid}},
    el('h3', {}, el('code', {}, a.appid), ' ', a.description, ' ', deleteButton('apps', a.appid, a.origin, onDelete)),
    el('p', {class: 'muted origin'}, a.origin),
    credentials([['secret', a.secret]]),
    a.scenario && el('p', {}, 'Every call for this app gets the scenario ', el('code', {}, a.scenario), ', where it answers.'),
    access(a),
    lists.map(([name, items]) => entities(name, items)));
}

// access lists what, beside its credentials, decides whether an account
// gets its tokens: its IP whitelist, its state, its quota.
function access(a) {
  const facts = [];
  if (a.ip_whitelist) facts.push(['ip_whitelist', a.ip_whitelist.join(', ')]);
  if (a.state) facts.push(['state', a.state]);
  if (a.quota) facts.push(['quota', Object.entries(a.quota).map(([k, v]) => `${v} ${k}`).join(', ') || "the spec's limits"]);
  return facts.length > 0 && el('dl', {class: 'facts access'}, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, el('code', {}, v))]));
}

function credentials(pairs) {
  return el('dl', {class: 'facts'}, pairs.map(([k, v]) => [el('dt', {}, k), el('dd', {}, el('code', {}, v), ' ', copyButton(v))]));
}

// entities returns a table of an app's entities, a column per field.
function entities(name, items) {
  if (items.length === 0) return el('p', {class: 'muted'}, `no ${name}`);
  const fields = [...new Set(items.flatMap((x) => Object.keys(x)))];
  return el('table', {class: `entities ${name}`},
    el('caption', {}, name),
    el('thead', {}, el('tr', {}, fields.map((f) => el('th', {}, f)))),
    el('tbody', {}, items.map((x) => el('tr', {}, fields.map((f) => el('td', {}, typeof x[f] === 'object' ? JSON.stringify(x[f]) : x[f] ?? ''))))));
}

function tokenRow(t) {
  const short = `${t.access_token.slice(0, 14)}…`;
  return el('tr', {dataset: {kind: t.kind}},
    el('td', {class: 'c-token', title: t.access_token}, el('code', {}, short), ' ', copyButton(t.access_token)),
    el('td', {}, t.kind),
    el('td', {}, t.appid),
    el('td', {}, t.component),
    el('td', {}, t.scenario),
    el('td', {class: 'c-left', title: `until ${t.expires_at} on the fake's clock`}, duration(t.expires_in)),
    el('td', {class: 'muted'}, t.retired ? 'replaced: 40001' : 'expires: 42001'));
}
