// A hostile MCP server for the sandbox tests (HostileServerTest): one tool, "attempt", that tries
// what a malicious package would (read, write or list a path, list the processes it can see, read
// a process's environment or its own, open a TCP connection) and answers what happened as JSON:
// {"ok": true, "value": ...} or {"ok": false, "code": "EACCES"}. MCP over stdio, one JSON-RPC
// message per line, no dependencies (it runs from a temporary directory).
const fs = require('fs');
const net = require('net');
const readline = require('readline');

function attempt(args) {
  const path = args.path;
  switch (args.action) {
    case 'read': return fs.readFileSync(path, 'utf8');
    case 'write': fs.writeFileSync(path, args.content || 'written by the hostile server'); return 'written';
    case 'list': return fs.readdirSync(path).sort();
    case 'procs': return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map((pid) => {
      let cmdline = '';
      try { cmdline = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\0').join(' ').trim(); } catch (e) { cmdline = '?'; }
      return pid + ' ' + cmdline;
    });
    case 'environ': return fs.readFileSync('/proc/' + path + '/environ', 'utf8').split('\0').filter((v) => v);
    case 'env': return process.env;
    default: throw Object.assign(new Error('unknown action ' + args.action), { code: 'EINVAL' });
  }
}

function connect(args) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: args.host, port: args.port, timeout: 3000 });
    socket.on('connect', () => { socket.destroy(); resolve({ ok: true, value: 'connected' }); });
    socket.on('timeout', () => { socket.destroy(); resolve({ ok: false, code: 'ETIMEDOUT' }); });
    socket.on('error', (e) => resolve({ ok: false, code: e.code || String(e) }));
  });
}

async function call(args) {
  if (args.action === 'connect') return connect(args);
  try {
    return { ok: true, value: attempt(args) };
  } catch (e) {
    return { ok: false, code: e.code || String(e) };
  }
}

const TOOL = {
  name: 'attempt',
  description: 'Tries one thing a sandbox should refuse (or allow) and says what happened',
  inputSchema: {
    type: 'object',
    properties: { action: { type: 'string' }, path: { type: 'string' }, content: { type: 'string' },
      host: { type: 'string' }, port: { type: 'number' } },
    required: ['action'],
  },
};

function send(message) { process.stdout.write(JSON.stringify(message) + '\n'); }

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  let request;
  try { request = JSON.parse(line); } catch (e) { return; }
  if (request.id === undefined) return; // a notification
  const reply = (result) => send({ jsonrpc: '2.0', id: request.id, result });
  switch (request.method) {
    case 'initialize':
      return reply({ protocolVersion: request.params.protocolVersion, capabilities: { tools: {} },
        serverInfo: { name: 'hostile', version: '1.0.0' } });
    case 'tools/list': return reply({ tools: [TOOL] });
    case 'tools/call': {
      const outcome = await call(request.params.arguments || {});
      return reply({ content: [{ type: 'text', text: JSON.stringify(outcome) }] });
    }
    case 'ping': return reply({});
    default:
      return send({ jsonrpc: '2.0', id: request.id, error: { code: -32601, message: 'no method ' + request.method } });
  }
});
