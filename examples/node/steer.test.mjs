// A client test in Node that steers a tcbmock fake over HTTP alone, as a
// suite in any language can: it adds an app with two environments and a
// scenario, calls getenvinfo through the app's token, and cleans up.
// Node 18 or later, no dependencies:
//
//   TCBMOCK_URL=http://127.0.0.1:8080 node --test examples/node/
//
// Without TCBMOCK_URL it starts `tcbmock serve` ($TCBMOCK_BIN, or tcbmock
// on the PATH) on a free port, and stops it at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

let base = process.env.TCBMOCK_URL;
let server;

before(async () => {
  if (base) return;
  server = spawn(process.env.TCBMOCK_BIN || 'tcbmock', ['serve', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let log = '';
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/url=(http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`tcbmock serve exited with ${code}: ${log}`)));
  });
});

after(() => server?.kill());

// admin calls the fake's admin API: JSON in and out.
async function admin(method, path, body) {
  const res = await fetch(`${base}/__tcbmock/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

// wechat calls the WeChat API of the fake, as a client under test would.
async function wechat(method, path, body, headers = {}) {
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

// Names of our own, so that suites sharing one fake never clash.
const hex = (n) => randomBytes(n).toString('hex');
const env = (name, status) => ({
  env: name, alias: name.split('-')[0], create_time: '2026-01-02 03:04:05', update_time: '2026-01-02 03:04:05',
  status, package_id: 'basic', package_name: 'basic',
});

test('adds an app with two environments and a scenario, uses them, and cleans up', async () => {
  const app = { appid: `wx${hex(8)}`, secret: hex(16), envs: [env(`dev-${hex(3)}`, 'NORMAL'), env(`prod-${hex(3)}`, 'HALTED')] };
  const scenario = { name: `busy-${hex(4)}`, description: 'busy, for this suite', operations: ['getEnvInfo'], errcode: -1 };
  assert.equal((await admin('POST', 'apps', app)).status, 201);
  assert.equal((await admin('POST', 'scenarios', scenario)).status, 201);
  try {
    const token = await wechat('GET', `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`);
    assert.ok(token.access_token, JSON.stringify(token));

    const envs = await wechat('POST', `/tcb/getenvinfo?access_token=${token.access_token}`, {});
    assert.equal(envs.errcode, 0);
    assert.deepEqual(envs.info_list.map((e) => `${e.env}/${e.status}`), app.envs.map((e) => `${e.env}/${e.status}`));

    const busy = await wechat('POST', `/tcb/getenvinfo?access_token=${token.access_token}`, {}, { 'X-Tcbmock-Scenario': scenario.name });
    assert.equal(busy.errcode, -1);
    assert.match(busy.errmsg, / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
  } finally {
    assert.equal((await admin('DELETE', `apps/${app.appid}`)).status, 200);
    assert.equal((await admin('DELETE', `scenarios/${scenario.name}`)).status, 200);
  }
  const gone = await wechat('GET', `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`);
  assert.equal(gone.errcode, 40013);
});

test('a malformed app gets the message lint gives, at its JSON path', async () => {
  const app = { appid: `wx${hex(8)}`, secret: hex(16), envs: [{ ...env('dev-000000', 'NORMAL'), status: 'RUNNING' }] };
  const { status, body } = await admin('POST', 'apps', app);
  assert.equal(status, 400);
  assert.match(body.problems[0], /^\$\.envs\[0\]\.status: app "wx[0-9a-f]{16}": breaks the spec .*received "RUNNING"$/);
});
