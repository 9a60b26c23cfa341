// The local API (docs/api.md). The page signs in with an HttpOnly session cookie that `/?code=…`
// (a one-time launch code) sets, so requests only need same-origin credentials; the page never
// sees the cookie nor the API secret.

/** An error answered by the API, in its one error body: `{error, message, field?}`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `The server answered ${status}.`);
    this.status = status;
    this.code = body && body.error ? body.error : 'internal_error';
    this.field = body && body.field ? body.field : null;
  }
}

const unauthorizedListeners = [];

/** Calls `listener` whenever the API answers 401 (the session cookie is missing or stale). */
export function onUnauthorized(listener) {
  unauthorizedListeners.push(listener);
}

async function request(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    throw new ApiError(0, { error: 'unreachable', message: 'Latchkey is not answering. Is it still running?' });
  }
  const data = await readJson(response);
  if (response.status === 401) {
    unauthorizedListeners.forEach((listener) => listener());
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

async function readJson(response) {
  const text = await response.text();
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    return null;
  }
}

export const api = {
  catalog: () => request('GET', '/api/catalog'),
  installs: () => request('GET', '/api/installs'),
  install: (catalogName, auth, userConfig, network = true) =>
    request('POST', '/api/installs', { catalogName, auth, userConfig, network }),
  addRemote: (remoteUrl, displayName) => request('POST', '/api/installs', { remoteUrl, displayName }),
  sandbox: () => request('GET', '/api/sandbox'),
  uninstall: (id) => request('DELETE', `/api/installs/${encodeURIComponent(id)}`),
  reconnect: (id) => request('POST', `/api/installs/${encodeURIComponent(id)}/reconnect`, {}),
  oauthStatus: () => request('GET', '/api/oauth'),
  start: (id) => request('POST', `/api/installs/${encodeURIComponent(id)}/start`, {}),
  stop: (id) => request('POST', `/api/installs/${encodeURIComponent(id)}/stop`, {}),
  restart: (id) => request('POST', `/api/installs/${encodeURIComponent(id)}/restart`, {}),
  runtime: (id, lines) => request('GET', `/api/installs/${encodeURIComponent(id)}/runtime?lines=${lines}`),
  clients: () => request('GET', '/api/clients'),
  addClient: (name) => request('POST', '/api/clients', { name }),
  limitClient: (id, installs) => request('PUT', `/api/clients/${encodeURIComponent(id)}/installs`, { installs }),
  revokeClient: (id) => request('DELETE', `/api/clients/${encodeURIComponent(id)}`),
  clientApps: () => request('GET', '/api/client-apps'),
  connectApp: (app) => request('POST', `/api/client-apps/${encodeURIComponent(app)}`, {}),
  undoApp: (app) => request('DELETE', `/api/client-apps/${encodeURIComponent(app)}`),
  // A POST always carries JSON: the API refuses one without it (415), so an empty object goes.
  relogin: (id) => request('POST', `/api/installs/${encodeURIComponent(id)}/relogin`, {}),
  switchToBrowser: (id) => request('POST', `/api/installs/${encodeURIComponent(id)}/switch`, { auth: 'browser' }),
  switchToOAuth: (id) => request('POST', `/api/installs/${encodeURIComponent(id)}/switch`, { auth: 'oauth' }),
  cancelSignIn: (id) => request('DELETE', `/api/installs/${encodeURIComponent(id)}/sign-in`),
};
