// interop/clients/ts-client.mjs SDK URL: the TypeScript SDK's MCP client
// driven the way `mcpwire client` asks (docs/CLIENT-TESTING.md): connect,
// list the tools, call the first one listed, end the session, exit 0; any
// error: one line on stderr, exit 1.
//   SDK: sdk1 (@modelcontextprotocol/sdk, v1) or sdk2 (@modelcontextprotocol/client, v2)
// The transport follows MCP_CONFORMANCE_PROTOCOL_VERSION: 2024-11-05 is the
// legacy HTTP+SSE transport (SSEClientTransport), any later revision
// Streamable HTTP (StreamableHTTPClientTransport). Nothing else is set: the
// SDK's defaults are what is tested.
const [sdk, url] = [process.argv[2], process.argv[process.argv.length - 1]];
const version = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION || "2025-11-25";

async function load() {
  if (sdk === "sdk1") {
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { SSEClientTransport } = await import("@modelcontextprotocol/sdk/client/sse.js");
    const { StreamableHTTPClientTransport } = await import(
      "@modelcontextprotocol/sdk/client/streamableHttp.js");
    return { Client, SSEClientTransport, StreamableHTTPClientTransport };
  }
  if (sdk === "sdk2")
    return await import("@modelcontextprotocol/client");
  throw new Error(`unknown SDK ${sdk} (sdk1 or sdk2)`);
}

async function main() {
  const { Client, SSEClientTransport, StreamableHTTPClientTransport } = await load();
  const legacy = version === "2024-11-05";
  const transport = legacy ? new SSEClientTransport(new URL(url))
                           : new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: `mcpwire-${sdk}-driver`, version: "1.0.0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  if (!tools.length) throw new Error("tools/list listed no tool");
  const result = await client.callTool({ name: tools[0].name, arguments: {} });
  console.log(`tool ${tools[0].name}: ${JSON.stringify(result.content)}`);
  if (!legacy && transport.terminateSession) await transport.terminateSession();
  await client.close();
}

main().then(() => process.exit(0), (e) => {
  console.error(`ts-client ${sdk}: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
