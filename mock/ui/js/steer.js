// Changing the world at run time: a form that adds an app, a third-party
// platform or a scenario, written as the files write one, in JSON; and
// deleting what was added (or an override of the files'). The fake checks
// each item as lint checks a file; its problems are shown as it says them.

import {api} from './api.js';
import {$, el} from './dom.js';

// templates are a starting point for each kind: edit, then add.
const templates = {
  apps: {
    appid: 'wx0000000000000a01', secret: '00000000000000000000000000000a01', description: 'added from the page',
    envs: [{env: 'dev-1a2b3c', alias: 'dev', create_time: '2026-01-02 03:04:05', update_time: '2026-01-02 03:04:05',
      status: 'NORMAL', package_id: 'basic', package_name: 'basic'}],
  },
  components: {
    component_appid: 'wx0000000000000c01', component_appsecret: '000000000000000000000000000000c1',
    component_verify_ticket: 'ticket@@@mine', description: 'added from the page',
    authorizations: [{authorizer_appid: 'wxd0c0ffee00000001', authorizer_refresh_token: 'refreshtoken@@@mine', permission_sets: [49]}],
  },
  scenarios: {name: 'my-busy', description: 'added from the page', operations: ['getEnvInfo'], errcode: -1},
};

// names say which field names an item of each kind.
const names = {apps: 'appid', components: 'component_appid', scenarios: 'name'};

// addedAtRunTime reports whether an item's origin says the admin API made
// it, so that it can be deleted: added, or an override of the files'.
export const addedAtRunTime = (origin) => / at run time at /.test(origin || '');

// deleteButton returns the button that deletes an item of kind named id.
export function deleteButton(kind, id, origin, onDelete) {
  if (!addedAtRunTime(origin)) return null;
  const override = origin.includes('overridden');
  return el('button', {type: 'button', class: 'delete', dataset: {kind, id},
    title: override ? 'Delete the override: the files\' item is served again' : 'Delete what was added at run time',
    onclick: () => onDelete(kind, id)}, override ? 'undo override' : 'delete');
}

export class Steer {
  // onChange() rereads the world; onError(err) shows a failed call.
  constructor({onChange, onError}) {
    this.onChange = onChange;
    this.onError = onError;
    $('#add-kind').addEventListener('change', () => this.template());
    $('#add-form').addEventListener('submit', (ev) => { ev.preventDefault(); this.add(); });
    this.template();
  }

  template() {
    $('#add-item').value = JSON.stringify(templates[$('#add-kind').value], null, 2);
    $('#add-result').replaceChildren();
  }

  async add() {
    const kind = $('#add-kind').value;
    let item;
    try {
      item = JSON.parse($('#add-item').value);
    } catch (err) {
      this.result(el('p', {class: 'bad'}, `not JSON: ${err.message}`));
      return;
    }
    try {
      await api('POST', kind, item);
      this.result(el('p', {class: 'good'}, `Added ${item[names[kind]]}.`));
      this.onChange();
    } catch (err) {
      const problems = err.problems || [err.message];
      this.result(el('ul', {class: 'problems bad'}, problems.map((p) => el('li', {}, p))));
      this.onError(err);
    }
  }

  // remove deletes an item of kind named id.
  async remove(kind, id) {
    try {
      await api('DELETE', `${kind}/${encodeURIComponent(id)}`);
      this.onChange();
    } catch (err) {
      this.onError(err);
    }
  }

  result(node) {
    $('#add-result').replaceChildren(node);
  }
}
