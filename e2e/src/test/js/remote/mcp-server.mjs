// A small remote MCP server for RemoteServerPageTest, on the TypeScript SDK over Streamable HTTP
// (stateless), protected as MCP authorization says: every request needs a bearer JWT signed by the
// authorization server (checked against its JWKS), issued by it, of type at+jwt (RFC 9068) and
// whose `aud` is this server's own URL. Anything else is answered 401 with
// `WWW-Authenticate: Bearer resource_metadata="…"` naming its protected-resource metadata
// (RFC 9728), served beside it. Tools: `whoami` (the token's `sub`) and `add`. Each call and each
// refusal is printed on stdout as `CALL {json}` / `REFUSED {json}` (the token's jti, never the token).
//
// env: PORT (this server's), ISSUER (the authorization server), AUDIENCE (the `aud` it accepts;
// its own URL unless a test says otherwise).

import http from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const port = Number(process.env.PORT);
const origin = `http://127.0.0.1:${port}`;
const self = `${origin}/mcp`;
const issuer = process.env.ISSUER;
const audience = process.env.AUDIENCE || self;
const metadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));

const log = (kind, fields) => console.log(`${kind} ${JSON.stringify(fields)}`);

const tools = [
  { name: 'whoami', description: 'Who the access token was issued to.', inputSchema: { type: 'object', properties: {} } },
  {
    name: 'add', description: 'Adds two numbers.',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  },
];

function mcpServer() {
  const server = new Server({ name: 'remote-e2e', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { sub, jti } = extra.authInfo.extra;
    log('CALL', { tool: request.params.name, sub, jti });
    if (request.params.name === 'whoami') {
      return { content: [{ type: 'text', text: sub }] };
    }
    if (request.params.name === 'add') {
      const { a, b } = request.params.arguments;
      return { content: [{ type: 'text', text: String(a + b) }] };
    }
    return { content: [{ type: 'text', text: `no tool ${request.params.name}` }], isError: true };
  });
  return server;
}

function refuse(res, error, description) {
  log('REFUSED', { error: error || 'no_token', description });
  const challenge = [`Bearer resource_metadata="${metadataUrl}"`, 'scope="mcp"'];
  if (error) challenge.push(`error="${error}"`, `error_description="${description.replace(/["\\]/g, '')}"`);
  res.writeHead(401, { 'WWW-Authenticate': challenge.join(', '), 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: error || 'invalid_request', error_description: description }));
}

/** The verified token as the SDK's AuthInfo, or null once refused. */
async function authenticate(req, res) {
  const match = /^Bearer (\S+)$/i.exec(req.headers.authorization || '');
  if (!match) {
    refuse(res, null, 'a bearer token is required');
    return null;
  }
  try {
    const { payload } = await jwtVerify(match[1], jwks, { issuer, audience, typ: 'at+jwt' });
    return {
      token: match[1], clientId: payload.client_id, scopes: String(payload.scope || '').split(' '),
      expiresAt: payload.exp, extra: { sub: payload.sub, jti: payload.jti },
    };
  } catch (error) {
    refuse(res, 'invalid_token', `${error.code || error.name}: ${error.message}`);
    return null;
  }
}

http.createServer(async (req, res) => {
  const path = new URL(req.url, origin).pathname;
  if (path === '/.well-known/oauth-protected-resource/mcp' && req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({
      resource: self, authorization_servers: [issuer], scopes_supported: ['mcp'], bearer_methods_supported: ['header'],
    }));
  }
  if (path !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  const auth = await authenticate(req, res);
  if (!auth) return;
  req.auth = auth;
  const server = mcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    transport.close();
    server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res);
  } catch (error) {
    log('ERROR', { description: error.message });
    if (!res.headersSent) res.writeHead(500).end();
  }
}).listen(port, '127.0.0.1', () => console.log(`LISTENING ${self}`));
