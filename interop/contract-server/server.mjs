// mcpwire's conformance-contract server: the official MCP conformance suite's
// server contract (fixtures.mjs) served by the TypeScript SDK v1 (pinned in
// interop/package.json) on 127.0.0.1 only.
//
//   node server.mjs [--port N] [--transport streamable|sse|stdio] [--json]
//     --port N        port on 127.0.0.1 (default 0: a free one)
//     --transport     streamable (default): Streamable HTTP with sessions at /mcp;
//                     sse: the SDK's legacy HTTP+SSE transport (GET /sse, POST /message);
//                     stdio: one session over stdin/stdout (StdioServerTransport), no port
//     --json          Streamable HTTP answers POSTs with application/json, not SSE
//
// The first stdout line is `listening http://127.0.0.1:PORT/mcp` (or /sse).
// Sessions: at most MAX_SESSIONS live; past it the one idle longest is closed;
// idle ones close after IDLE_MS. DELETE ends a Streamable HTTP session.
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import * as fx from './fixtures.mjs';

const MAX_SESSIONS = 256; // live sessions; the suite opens ~35 per run and never DELETEs
const IDLE_MS = 10 * 60 * 1000; // a session without traffic for this long is closed
const MAX_EVENTS = 10000; // events kept for resumption (Last-Event-ID), whole server
const RETRY_MS = 500; // SSE retry field on priming events
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

function parseArgs(argv) {
  const opts = { port: 0, transport: 'streamable', json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--transport') opts.transport = argv[++i];
    else if (a === '--json') opts.json = true;
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
  if (!['streamable', 'sse', 'stdio'].includes(opts.transport)) usage('bad --transport');
  return opts;
}

function usage(why) {
  process.stderr.write(`contract-server: ${why}\nusage: server.mjs [--port N] [--transport streamable|sse|stdio] [--json]\n`);
  process.exit(2);
}

// Event store for resumption, bounded: the oldest events go first.
class BoundedEventStore {
  #events = new Map(); // eventId -> { streamId, message }
  async storeEvent(streamId, message) {
    const eventId = `${streamId}_${randomUUID()}`;
    this.#events.set(eventId, { streamId, message });
    if (this.#events.size > MAX_EVENTS) this.#events.delete(this.#events.keys().next().value);
    return eventId;
  }
  async getStreamIdForEventId(eventId) {
    return this.#events.get(eventId)?.streamId;
  }
  async replayEventsAfter(lastEventId, { send }) {
    const streamId = this.#events.get(lastEventId)?.streamId;
    if (!streamId) return '';
    let after = false;
    for (const [id, e] of this.#events) {
      if (id === lastEventId) after = true;
      else if (after && e.streamId === streamId && Object.keys(e.message).length > 0) await send(id, e.message);
    }
    return streamId;
  }
}

// One low-level SDK Server per session, with the suite's fixtures.
function contractServer() {
  const server = new Server(
    { name: 'mcpwire-contract-server', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      },
    },
  );
  const ctx = { server, subscriptions: new Set() };
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: fx.listTools() }));
  server.setRequestHandler(CallToolRequestSchema, (req, extra) => fx.callTool(ctx, req, extra));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: fx.RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: fx.RESOURCE_TEMPLATES }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => ({ contents: fx.readResource(req.params.uri) }));
  server.setRequestHandler(SubscribeRequestSchema, async (req) => (ctx.subscriptions.add(req.params.uri), {}));
  server.setRequestHandler(UnsubscribeRequestSchema, async (req) => (ctx.subscriptions.delete(req.params.uri), {}));
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: fx.PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, async (req) => fx.getPrompt(req.params.name, req.params.arguments));
  server.setRequestHandler(CompleteRequestSchema, async (req) => fx.complete(req.params.argument));
  return server;
}

// Live sessions: id -> { transport, server, lastSeen }.
const sessions = new Map();

function touch(id) {
  const s = sessions.get(id);
  if (s) s.lastSeen = Date.now();
  return s;
}

function closeSession(id) {
  const s = sessions.get(id);
  if (!s) return;
  sessions.delete(id);
  s.transport.close().catch(() => {});
}

function makeRoom() {
  if (sessions.size < MAX_SESSIONS) return;
  let oldest;
  for (const [id, s] of sessions) if (!oldest || s.lastSeen < sessions.get(oldest).lastSeen) oldest = id;
  closeSession(oldest);
}

function reapIdle() {
  const now = Date.now();
  for (const [id, s] of sessions) if (now - s.lastSeen > IDLE_MS) closeSession(id);
}

const rpcError = (res, status, code, message) => res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });

// The Host check comes from the SDK (createMcpExpressApp); this adds the Origin check.
function originCheck(req, res, next) {
  const origin = req.headers.origin;
  if (origin === undefined) return next();
  let host;
  try {
    host = new URL(origin).host.replace(/:\d+$/, '');
  } catch {
    host = '';
  }
  if (LOCAL_HOSTS.includes(host)) return next();
  return rpcError(res, 403, -32000, `Forbidden: Origin ${origin} is not a loopback origin`);
}

function mountStreamable(app, opts) {
  const eventStore = new BoundedEventStore();
  app.all('/mcp', async (req, res) => {
    const id = req.headers['mcp-session-id'];
    try {
      if (typeof id === 'string') {
        const s = touch(id);
        if (!s) return rpcError(res, 404, -32001, 'Session not found');
        return await s.transport.handleRequest(req, res, req.body);
      }
      if (req.method !== 'POST') return rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      makeRoom();
      const server = contractServer();
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: opts.json,
        eventStore,
        retryInterval: RETRY_MS,
        onsessioninitialized: (sid) => sessions.set(sid, { transport, server, lastSeen: Date.now() }),
        onsessionclosed: (sid) => sessions.delete(sid),
      });
      transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (err) {
      process.stderr.write(`contract-server: ${err?.stack ?? err}\n`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
    }
  });
}

function mountLegacySse(app) {
  app.get('/sse', async (req, res) => {
    makeRoom();
    const transport = new SSEServerTransport('/message', res);
    const server = contractServer();
    sessions.set(transport.sessionId, { transport, server, lastSeen: Date.now() });
    res.on('close', () => sessions.delete(transport.sessionId));
    await server.connect(transport);
  });
  app.post('/message', async (req, res) => {
    const s = touch(String(req.query.sessionId ?? ''));
    if (!s) return rpcError(res, 404, -32001, 'Session not found');
    await s.transport.handlePostMessage(req, res, req.body);
  });
}

const opts = parseArgs(process.argv.slice(2));
if (opts.transport === 'stdio') await serveStdio();
else serveHttp(opts);

// One session on stdin/stdout: stdout carries the protocol, logs go to stderr.
async function serveStdio() {
  await contractServer().connect(new StdioServerTransport());
}

function serveHttp(opts) {
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  app.use(originCheck);
  if (opts.transport === 'sse') mountLegacySse(app);
  else mountStreamable(app, opts);

  // Bodies express.json() cannot parse get a JSON-RPC error, not express's HTML page.
  app.use((err, _req, res, next) => {
    if (err?.type === 'entity.parse.failed') return rpcError(res, 400, -32700, 'Parse error');
    if (err?.type === 'entity.too.large') return rpcError(res, 413, -32600, 'Request body too large');
    return next(err);
  });

  const reaper = setInterval(reapIdle, 30 * 1000);
  reaper.unref();
  const httpServer = app.listen(opts.port, '127.0.0.1', () => {
    const path = opts.transport === 'sse' ? '/sse' : '/mcp';
    process.stdout.write(`listening http://127.0.0.1:${httpServer.address().port}${path}\n`);
  });
  httpServer.on('error', (err) => {
    process.stderr.write(`contract-server: ${err.message}\n`);
    process.exit(1);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      for (const id of [...sessions.keys()]) closeSession(id);
      httpServer.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 1000).unref();
    });
  }
}
