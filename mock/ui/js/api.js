// Calls to the fake's admin API. The page is served at <admin>/ui/, so the
// admin API is one level up, wherever the fake is mounted. With
// --admin-token, every call sends the token the page was given, kept in
// this tab's session storage only.

const tokenKey = 'tcbmock.adminToken';

// base is the admin API's URL: the fake's origin and /__tcbmock/.
export const base = new URL('../', location.href);

// AuthError is a call the fake refused for want of the admin token.
export class AuthError extends Error {}

// ApiError is an admin API answer that is not HTTP 2xx: its {"error"} text.
export class ApiError extends Error {
  constructor(status, message, problems) {
    super(message);
    this.status = status;
    this.problems = problems; // each problem of an item refused, when the fake lists them
  }
}

let authNeeded = () => {};

// onAuthNeeded calls f(refused) when a call needs the admin token:
// refused is true when the page had sent one.
export function onAuthNeeded(f) { authNeeded = f; }

// adminToken returns the token this tab keeps, or ''.
export const adminToken = () => sessionStorage.getItem(tokenKey) || '';

// setAdminToken keeps token in this tab's session storage, or forgets it.
export function setAdminToken(token) {
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
}

// headers returns the headers of an admin call: extra, and the token.
export function headers(extra = {}) {
  const h = {...extra};
  const token = adminToken();
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

// api calls the admin API at path (relative to base), sending body as JSON
// unless it is undefined, and returns the answer's JSON.
export async function api(method, path, body) {
  const init = {method, headers: headers(), cache: 'no-store'};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return answer(await fetch(new URL(path, base), init), `${method} ${path}`);
}

// answer returns resp's JSON, or throws: AuthError for HTTP 401 (and says
// that the token is needed), ApiError for any other status but 200.
export async function answer(resp, what) {
  if (resp.status === 401) {
    authNeeded(adminToken() !== '');
    throw new AuthError(`${what}: the admin API needs the admin token`);
  }
  let data = {};
  try {
    data = await resp.json();
  } catch {
    // not JSON: said below by the status
  }
  if (!resp.ok) throw new ApiError(resp.status, data.error || `${what}: HTTP ${resp.status}`, data.problems);
  return data;
}
