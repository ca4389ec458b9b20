// The configuration status: which files are served, since when, and the
// last reload the fake refused, with each problem as file:line.

import {api} from './api.js';
import {$, el, fullTime} from './dom.js';

export class Config {
  // onReload(status) is called when the served configuration changed.
  constructor({onReload}) {
    this.onReload = onReload;
    this.digest = '';
  }

  async read() {
    const c = await api('GET', 'config');
    if (this.digest !== '' && c.digest !== this.digest) this.onReload(c);
    this.digest = c.digest;
    this.show(c);
  }

  show(c) {
    const files = el('ul', {class: 'files'}, c.files.map((f) => el('li', {}, el('code', {}, f))));
    $('#config').replaceChildren(
      el('dt', {}, 'files'), el('dd', {}, files),
      el('dt', {}, 'digest'), el('dd', {}, el('code', {title: 'SHA-256 of the files'}, c.digest.slice(0, 16))),
      el('dt', {}, 'loaded'), el('dd', {}, `${fullTime(c.loaded_at)} (this computer's clock)`),
      el('dt', {}, 'configurations served'), el('dd', {}, String(c.reloads)));
    const err = c.last_error;
    $('#config-badge').hidden = !err;
    if (!err) {
      $('#config-error').replaceChildren(el('p', {class: 'muted'}, 'No reload was refused since this configuration loaded.'));
      return;
    }
    $('#config-error').replaceChildren(
      el('h3', {class: 'bad'}, `Reload refused at ${fullTime(err.at)}: the fake serves the files above`),
      el('ul', {class: 'problems'}, err.problems.map((p) => el('li', {}, el('code', {}, p)))));
  }
}
