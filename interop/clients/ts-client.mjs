// interop/clients/ts-client.mjs SDK URL: the TypeScript SDK's MCP client
// driven the way `mcpwire client` asks (docs/CLIENT-TESTING.md): connect,
// list the tools, call the first one listed, end the session, exit 0; any
// error: one line on stderr, exit 1.
//   SDK: sdk1 (@modelcontextprotocol/sdk, v1) or sdk2 (@modelcontextprotocol/client, v2),
//   or mcp-remote: the bridge (mcp-remote URL --transport http-only|sse-only)
//   started on stdio by the v1 client, so the HTTP side under test is
//   mcp-remote's; MCP_REMOTE_CONFIG_DIR goes to a fresh temporary folder;
//   or inspector: the MCP Inspector CLI (@modelcontextprotocol/inspector-cli),
//   run twice as its users do: --method tools/list, then --method tools/call
//   with the first tool listed (two sessions; exit 1 when either fails).
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
  if (sdk === "mcp-remote") {
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
    return { Client, StdioClientTransport };
  }
  throw new Error(`unknown SDK ${sdk} (sdk1 or sdk2)`);
}

/* mcp-remote's proxy on stdio, its config in a folder of its own. */
async function bridge(StdioClientTransport, legacy) {
  const { createRequire } = await import("node:module");
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const proxy = createRequire(import.meta.url).resolve("mcp-remote/dist/proxy.js");
  const env = { ...process.env, MCP_REMOTE_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mcp-remote-")) };
  return new StdioClientTransport({
    command: process.execPath, env, stderr: "inherit",
    args: [proxy, url, "--transport", legacy ? "sse-only" : "http-only"],
  });
}

/* The Inspector CLI once: its JSON output, or an error with its stderr. */
async function inspector(legacy, args) {
  const { createRequire } = await import("node:module");
  const { execFileSync } = await import("node:child_process");
  const cli = createRequire(import.meta.url).resolve("@modelcontextprotocol/inspector-cli/build/index.js");
  const { dirname } = await import("node:path");
  // cwd: the CLI tests "../package.json" against the working directory but
  // imports it relative to its own file; from its build folder both agree.
  const out = execFileSync(process.execPath,
      [cli, url, "--transport", legacy ? "sse" : "http", ...args],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], cwd: dirname(cli) });
  return JSON.parse(out);
}

async function inspect() {
  const legacy = version === "2024-11-05";
  const { tools } = await inspector(legacy, ["--method", "tools/list"]);
  if (!tools || !tools.length) throw new Error("tools/list listed no tool");
  const result = await inspector(legacy, ["--method", "tools/call", "--tool-name", tools[0].name]);
  console.log(`tool ${tools[0].name}: ${JSON.stringify(result.content)}`);
}

async function main() {
  if (sdk === "inspector")
    return inspect();
  const { Client, SSEClientTransport, StreamableHTTPClientTransport, StdioClientTransport } =
      await load();
  const legacy = version === "2024-11-05";
  const transport = sdk === "mcp-remote" ? await bridge(StdioClientTransport, legacy)
                  : legacy ? new SSEClientTransport(new URL(url))
                           : new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: `mcpwire-${sdk}-driver`, version: "1.0.0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  if (!tools.length) throw new Error("tools/list listed no tool");
  const result = await client.callTool({ name: tools[0].name, arguments: {} });
  console.log(`tool ${tools[0].name}: ${JSON.stringify(result.content)}`);
  if (!legacy && sdk !== "mcp-remote" && transport.terminateSession)
    await transport.terminateSession();
  await client.close();
}

main().then(() => process.exit(0), (e) => {
  console.error(`ts-client ${sdk}: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
