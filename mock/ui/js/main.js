// The admin page: the tabs, the admin token, and what is read when. The
// journal streams; the clock is read every second, the configuration every
// five, the tokens every two while the World tab shows; the scenarios,
// apps and errcode tables at the start and when the configuration reloads.

import {AuthError, adminToken, api, onAuthNeeded, setAdminToken} from './api.js';
import {Clock} from './clock.js';
import {Config} from './config.js';
import {Detail} from './detail.js';
import {$, fill} from './dom.js';
import {Journal} from './journal.js';
import {Scenarios} from './scenarios.js';
import {Steer} from './steer.js';
import {World} from './world.js';

const timers = [];

// every calls f now and every ms while the page shows.
function every(ms, f) {
  const run = () => { if (!document.hidden) f().catch(showError); };
  run();
  timers.push(setInterval(run, ms));
}

function showError(err) {
  if (err instanceof AuthError) return;
  const m = $('#message');
  m.textContent = err instanceof TypeError ? 'The fake does not answer: is it still running?' : err.message;
  m.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { m.hidden = true; }, 6000);
}

// askForToken stops everything and asks for the admin token.
function askForToken(refused) {
  timers.forEach(clearInterval);
  journal.stop();
  $('#link-state').textContent = 'no admin token';
  $('#auth-why').textContent = refused
    ? 'The fake refused this token. Give the one it was started with (--admin-token or TCBMOCK_ADMIN_TOKEN).'
    : 'This fake was started with --admin-token: the page shows nothing until it has the token.';
  $('#auth').hidden = false;
  $('#auth-token').focus();
}

function showTab() {
  const name = (location.hash || '#journal').slice(1);
  const known = document.querySelector(`[data-panel="${name}"]`) ? name : 'journal';
  for (const p of document.querySelectorAll('[data-panel]')) p.hidden = p.dataset.panel !== known;
  for (const a of document.querySelectorAll('[data-tab]')) a.classList.toggle('active', a.dataset.tab === known);
  if (known === 'world') readWorld();
}

// readWorld reads what the World tab shows that changes as the fake runs.
function readWorld() {
  world.readTokens().catch(showError);
  api('GET', 'apps').then((w) => world.showApps(w), showError);
}

// readSpecAndWorld reads what changes only with the configuration. A
// journal-only server (tcbmock proxy) has no world or scenarios.
async function readSpecAndWorld() {
  const noWorld = {apps: [], components: []};
  const [{operations}, {scenarios}, worldData] = await Promise.all([api('GET', 'errcodes'),
    journalOnly ? {scenarios: []} : api('GET', 'scenarios'), journalOnly ? noWorld : api('GET', 'apps')]);
  detail.setOperations(operations);
  scenarioPanel.set(scenarios, worldData.apps, operations);
  world.showApps(worldData);
  fill($('#dl-path'), operations.map((o) => o.path));
  fill($('#dl-operation'), operations.map((o) => o.operation));
  fill($('#dl-appid'), worldData.apps.map((a) => a.appid));
  fill($('#dl-component'), worldData.components.map((c) => c.component_appid));
  fill($('#dl-scenario'), scenarios.map((s) => s.name));
  fill($('#dl-errcode'), [...new Set(operations.flatMap((o) => o.errcodes.map((r) => r.code)))]);
  fill($('#dl-cause'), [...new Set(operations.flatMap((o) => o.errcodes.flatMap((r) => r.when || [])))]);
}

const detail = new Detail({onFilter: (name, value) => journal.filter(name, value)});
const journal = new Journal({
  onSelect: (e) => detail.show(e),
  onClear: () => detail.hide(),
  onState: (s) => { $('#link-state').textContent = s; $('#link-state').dataset.state = s; },
});
const clock = new Clock({
  onChange: () => { if (location.hash === '#world') readWorld(); },
  onError: showError,
});
const config = new Config({onReload: () => readSpecAndWorld().catch(showError)});
const steer = new Steer({
  onChange: () => { readSpecAndWorld().catch(showError); world.readTokens().catch(showError); },
  onError: showError,
});
const onDelete = (kind, id) => steer.remove(kind, id);
const world = new World({onError: showError, onDelete});
const scenarioPanel = new Scenarios({
  onJournal: (name) => { location.hash = '#journal'; journal.filter('scenario', name); },
  onError: showError,
  onDelete,
});
$('#reset-world').addEventListener('click', () => {
  api('POST', 'reset', {world: true}).then(() => steer.onChange(), showError);
});

onAuthNeeded(askForToken);
$('#auth-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  setAdminToken($('#auth-token').value.trim());
  location.reload();
});
$('#forget-token').hidden = adminToken() === '';
$('#forget-token').addEventListener('click', () => { setAdminToken(''); location.reload(); });
window.addEventListener('hashchange', showTab);
document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') detail.hide(); });

// journalOnly is set when the server journals exchanges answered elsewhere
// (tcbmock proxy): the page shows the journal and the configuration alone.
let journalOnly = false;

showTab();
api('GET', 'config').then((c) => {
  journalOnly = c.journal_only;
  for (const hide of ['[data-tab="scenarios"]', '[data-tab="world"]', '#clock']) document.querySelector(hide).hidden = journalOnly;
  $('#journal-only').hidden = !journalOnly;
  if (journalOnly && ['#scenarios', '#world'].includes(location.hash)) location.hash = '#journal';
  showTab();
  return readSpecAndWorld();
}).then(() => {
  journal.follow();
  every(5000, () => config.read());
  if (journalOnly) return;
  every(1000, () => clock.read());
  every(2000, () => (location.hash === '#world' ? world.readTokens() : Promise.resolve()));
}, showError);
