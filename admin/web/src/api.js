// The admin API client: relative URLs (resolved against the <base> admin
// serves, so the console works under any path), the session's CSRF token
// on every mutating request, and errors as ApiError.

let csrf = '';
let onUnauthorized = () => {};

export function setCSRF(token) {
  csrf = token || '';
}

// getCSRF is the session's CSRF token, for the one form the console posts
// as a page (open-app: a form cannot send the header).
export function getCSRF() {
  return csrf;
}

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export async function api(method, path, body, { signal } = {}) {
  const opts = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin', signal };
  if (method !== 'GET') opts.headers['X-CSRF-Token'] = csrf || 'login';
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch('api/' + path, opts);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The console cannot reach admin (' + e.message + '). Check your connection and retry.');
  }
  const text = await resp.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!resp.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(resp.status, e.code || 'http', e.message || `admin answered ${resp.status} ${resp.statusText}`, e.request_id);
    if (resp.status === 401 && err.code === 'unauthorized') onUnauthorized();
    throw err;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

// stream GETs a text stream (a followed log) and calls onText with each
// chunk as it arrives, until the stream ends or signal aborts it. An error
// answer before the stream is thrown as ApiError.
export async function stream(path, onText, { signal } = {}) {
  let resp;
  try {
    resp = await fetch('api/' + path, { credentials: 'same-origin', signal, headers: { Accept: 'text/plain, application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') return;
    throw new ApiError(0, 'network', 'The console cannot reach admin (' + e.message + ').');
  }
  if (!resp.ok) {
    let e = {};
    try {
      e = (await resp.json()).error || {};
    } catch {
      /* not JSON */
    }
    if (resp.status === 401 && e.code === 'unauthorized') onUnauthorized();
    throw new ApiError(resp.status, e.code || 'http', e.message || `admin answered ${resp.status}`, e.request_id);
  }
  const reader = resp.body.getReader();
  const dec = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onText(dec.decode(value, { stream: true }));
    }
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
  }
}

// query builds a query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.filter((x) => x !== '' && x != null).forEach((x) => q.append(k, x));
    else if (v !== '' && v != null) q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// opID makes an operation id: a retry with the same id is idempotent at
// the carrier.
export function opID(kind) {
  const b = new Uint8Array(6);
  crypto.getRandomValues(b);
  return 'console-' + kind + '-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
