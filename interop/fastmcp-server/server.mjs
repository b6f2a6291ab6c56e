// A tiny FastMCP (TypeScript, npm `fastmcp`, pinned in interop/package.json)
// server: two tools, one resource, one prompt, served with FastMCP's
// httpStream transport (Streamable HTTP at /mcp and legacy SSE at /sse).
//   node server.mjs [--port N] [--stateless]   binds 127.0.0.1 only
//   node server.mjs --stdio                    the same server over stdio (transportType "stdio")
// FastMCP prints its own banner; run it under loopback-only.mjs to learn the port.
import { FastMCP } from 'fastmcp';
import * as z from 'zod';

const arg = (name) => process.argv.indexOf(name);
const port = arg('--port') > 0 ? Number(process.argv[arg('--port') + 1]) : 0;

const server = new FastMCP({ name: 'mcpwire-fastmcp-server', version: '1.0.0' });
server.addTool({
  name: 'echo',
  description: 'Echoes its text',
  parameters: z.object({ text: z.string() }),
  execute: async ({ text }) => text,
});
server.addTool({
  name: 'test_tool_with_progress',
  description: 'Reports progress 0, 50, 100 of 100, then answers',
  parameters: z.object({}),
  execute: async (_args, { reportProgress }) => {
    for (const progress of [0, 50, 100]) await reportProgress({ progress, total: 100 });
    return 'Tool with progress executed successfully';
  },
});
server.addResource({
  uri: 'test://static-text',
  name: 'static-text',
  mimeType: 'text/plain',
  load: async () => ({ text: 'This is the content of the static text resource.' }),
});
server.addPrompt({
  name: 'test_simple_prompt',
  description: 'A prompt without arguments',
  load: async () => 'This is a simple prompt for testing.',
});

if (arg('--stdio') > 0) await server.start({ transportType: 'stdio' });
else
  await server.start({
    transportType: 'httpStream',
    httpStream: { host: '127.0.0.1', port, endpoint: '/mcp', stateless: arg('--stateless') > 0 },
  });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
