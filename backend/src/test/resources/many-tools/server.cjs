// A real MCP stdio server offering the tools named in a file, one name a line; for tests of long
// tool lists. Run: node server.cjs <@modelcontextprotocol/sdk folder> <names file>
const path = require('path');
const fs = require('fs');
const [sdk, namesFile] = process.argv.slice(2);
const { Server } = require(path.join(sdk, 'dist/cjs/server/index.js'));
const { StdioServerTransport } = require(path.join(sdk, 'dist/cjs/server/stdio.js'));
const { ListToolsRequestSchema, CallToolRequestSchema } = require(path.join(sdk, 'dist/cjs/types.js'));

const names = fs.readFileSync(namesFile, 'utf8').split('\n').map(line => line.trim()).filter(line => line && !line.startsWith('#'));
const server = new Server({ name: 'many-tools', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: names.map(name => ({ name, description: 'Answers its own name', inputSchema: { type: 'object', properties: {} } })),
}));
server.setRequestHandler(CallToolRequestSchema, async request => ({
  content: [{ type: 'text', text: request.params.name }],
}));
server.connect(new StdioServerTransport());
