// A small server on the TypeScript SDK v2 (@modelcontextprotocol/server +
// @modelcontextprotocol/node, pinned in interop/package.json), wired the way
// its README shows: createMcpHandler serves 2026-07-28 and, by default, the
// 2025 revisions statelessly (no sessions; GET and DELETE 405).
//   node server.mjs [--port N]    binds 127.0.0.1; prints `listening http://127.0.0.1:PORT/mcp`
//   node server.mjs --stdio       the same server over stdio (serveStdio: one message per line)
import { createServer } from 'node:http';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

function buildServer() {
  const server = new McpServer({ name: 'mcpwire-sdk-v2-server', version: '1.0.0' }, { capabilities: { logging: {} } });
  server.registerTool('echo', { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('test_simple_text', { description: 'Returns one text block' },
    async () => ({ content: [{ type: 'text', text: 'This is a simple text response for testing.' }] }));
  server.registerResource('static-text', 'test://static-text', { mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Static text.' }] }));
  server.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' },
    async () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }));
  return server;
}

if (process.argv.includes('--stdio')) {
  // stdout carries the protocol: nothing else may be written there.
  serveStdio(buildServer, { onerror: (err) => process.stderr.write(`sdk-v2-server: ${err?.message ?? err}\n`) });
} else {
  serveHttp();
}

function serveHttp() {
  const handle = toNodeHandler(createMcpHandler(buildServer));
  const validateHost = localhostHostValidation();
  const validateOrigin = localhostOriginValidation();

  const http = createServer(async (req, res) => {
    if (!validateHost(req, res) || !validateOrigin(req, res)) return;
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    await handle(req, res);
  });
  http.listen(port, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${http.address().port}/mcp\n`));
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
