// A real OAuth 2.0 authorization server for RemoteServerPageTest: npm oidc-provider with dynamic
// client registration (RFC 7591, open: no initial access token), resource indicators (RFC 8707)
// whose JWT access tokens (RFC 9068) have the MCP server as `aud`, refresh tokens, revocation
// (RFC 7009) and PKCE S256, and a login and consent page of its own that the test fills in with
// Selenium. Every grant event is printed on stdout as `EVENT {json}`, the test's view of the AS.
//
// env: PORT (this server's), RESOURCE (the one resource it issues tokens for: the MCP server's
// URL), ACCESS_TOKEN_TTL (seconds), USER_NAME and USER_PASSWORD (the one account that may sign in).

import http from 'node:http';
import Provider, { errors } from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const resource = process.env.RESOURCE;
const accessTokenTTL = Number(process.env.ACCESS_TOKEN_TTL || 120);
const user = process.env.USER_NAME || 'alice';
const password = process.env.USER_PASSWORD || 'wonderland';
// A second account, for two installs of one server side by side.
const accounts = new Map([[user, password], ['bob', 'builder']]);

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'e2e-1', alg: 'RS256', use: 'sig' };

const event = (name, fields) => console.log(`EVENT ${JSON.stringify({ event: name, ...fields })}`);

const provider = new Provider(issuer, {
  jwks: { keys: [signingKey] },
  cookies: { keys: ['remote-e2e-cookie-key'] },
  findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // Only the MCP server: a request naming another resource is refused (invalid_target).
      getResourceServerInfo: (ctx, indicator) => {
        if (indicator !== resource) {
          throw new errors.InvalidTarget(`this server issues tokens for ${resource} only`);
        }
        return { scope: 'mcp', audience: resource, accessTokenTTL, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
      },
      defaultResource: () => undefined,
      useGrantedResource: () => true,
    },
  },
  pkce: { required: () => true },
  // A refresh token for every client registered for refresh_token, without asking for offline_access.
  issueRefreshToken: (ctx, client) => client.grantTypeAllowed('refresh_token'),
  expiresWithSession: () => false, // the grant outlives the browser's session at this server, as offline access would
  ttl: { AccessToken: accessTokenTTL, RefreshToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 3600 },
});
provider.proxy = false;

provider.on('registration_create.success', (ctx, client) => event('registration_create.success', {
  clientId: client.clientId, redirectUris: client.redirectUris, authMethod: client.clientAuthMethod,
  applicationType: client.applicationType,
}));
provider.on('authorization.success', (ctx) => event('authorization.success', {
  clientId: ctx.oidc.client.clientId, resource: ctx.oidc.params.resource, scope: ctx.oidc.params.scope,
  codeChallengeMethod: ctx.oidc.params.code_challenge_method,
}));
provider.on('grant.success', (ctx) => event('grant.success', {
  grantType: ctx.oidc.params.grant_type, clientId: ctx.oidc.client.clientId, resource: ctx.oidc.params.resource,
}));
provider.on('access_token.issued', (token) => event('access_token.issued', {
  jti: token.jti, aud: token.aud, gty: token.gty, grantId: token.grantId, accountId: token.accountId,
}));
for (const name of ['saved', 'consumed', 'destroyed']) {
  provider.on(`refresh_token.${name}`, (token) => event(`refresh_token.${name}`, { grantId: token.grantId, gty: token.gty }));
}
provider.on('grant.revoked', (ctx, grantId) => event('grant.revoked', { grantId, clientId: ctx.oidc.client?.clientId }));
for (const name of ['grant.error', 'authorization.error', 'revocation.error', 'registration_create.error', 'server_error']) {
  provider.on(name, (ctx, error) => event(name, { error: error.error || error.name, description: error.error_description || error.message }));
}

const page = (title, body) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>`
  + `<body><h1>${title}</h1>${body}</body></html>`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function form(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function send(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

/** The interaction pages: sign-in (a real password check), then consent. */
async function interaction(req, res, uid, step) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (step === 'login' && req.method === 'POST') {
    const values = await form(req);
    if (!accounts.has(values.get('login')) || accounts.get(values.get('login')) !== values.get('password')) {
      event('login.refused', { login: values.get('login') });
      return send(res, 200, page('Sign in', `<p id="error">Wrong user name or password.</p>${loginForm(uid)}`));
    }
    event('login.success', { accountId: values.get('login') });
    return provider.interactionFinished(req, res, { login: { accountId: values.get('login') } }, { mergeWithLastSubmission: false });
  }
  if (step === 'confirm' && req.method === 'POST') {
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    event('consent.given', { clientId: params.client_id, resources: Object.keys(missing.missingResourceScopes || {}) });
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (prompt.name === 'login') {
    return send(res, 200, page('Sign in', loginForm(uid)));
  }
  const client = await provider.Client.find(params.client_id);
  const asked = Object.entries(prompt.details.missingResourceScopes || {})
    .map(([indicator, scopes]) => `<li>${escape(scopes.join(' '))} at <code>${escape(indicator)}</code></li>`).join('');
  return send(res, 200, page('Allow access', `<p id="client">${escape(client?.clientName || params.client_id)}`
    + ` asks for:</p><ul>${asked}</ul><form method="post" action="/interaction/${uid}/confirm">`
    + '<button type="submit" id="allow">Allow</button></form>'));
}

function loginForm(uid) {
  return `<form method="post" action="/interaction/${uid}/login">`
    + '<label>User <input name="login" autocomplete="off"></label>'
    + '<label>Password <input name="password" type="password"></label>'
    + '<button type="submit" id="sign-in">Sign in</button></form>';
}

/** The test's own door: `DELETE /admin/grants/<id>` ends a grant, as a user removing the app's access here would. */
async function admin(req, res, grantId) {
  const grant = req.method === 'DELETE' ? await provider.Grant.find(grantId) : undefined;
  if (!grant) {
    res.writeHead(404).end();
    return;
  }
  await grant.destroy();
  event('admin.grant_deleted', { grantId });
  res.writeHead(204).end();
}

const callback = provider.callback();
http.createServer(async (req, res) => {
  const grant = /^\/admin\/grants\/([^/?]+)$/.exec(req.url);
  if (grant) return admin(req, res, grant[1]);
  const match = /^\/interaction\/([^/?]+)(?:\/(login|confirm))?/.exec(req.url);
  if (!match) return callback(req, res);
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (error) {
    event('interaction.error', { description: error.message });
    send(res, 400, page('Sign-in failed', `<p>${escape(error.message)}</p>`));
  }
}).listen(port, '127.0.0.1', () => console.log(`LISTENING ${issuer}`));
