#!/usr/bin/env python3
"""modern_target.py: a loopback stand-in for a server of the stateless MCP
era (2026-07-28) that speaks nothing older, so the harness's profile
detection can be tested against one. It is no reference: it answers only
what detection sends.

  initialize (a legacy handshake)  400, -32022, data.supported lists 2026-07-28
  server/discover, version 2026-07-28 in _meta and MCP-Protocol-Version
                                   200, a DiscoverResult
  any other POST                   404, -32601
  GET, DELETE                      405 (no standalone stream, no sessions)

Binds 127.0.0.1 port 0, prints "listening http://127.0.0.1:PORT" and exits
after --lifetime seconds (default 60).
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REVISION = "2026-07-28"
BODY_MAX = 1 << 20


def error(msg_id, code, message, data=None):
    err = {"code": code, "message": message}
    if data is not None:
        err["data"] = data
    return {"jsonrpc": "2.0", "id": msg_id, "error": err}


def answer(headers, msg):
    """(status, body) for one JSON-RPC request."""
    msg_id = msg.get("id")
    method = msg.get("method")
    params = msg.get("params") or {}
    meta = params.get("_meta") or {}
    if method == "initialize":
        return 400, error(msg_id, -32022, "Unsupported protocol version",
                          {"supported": [REVISION], "requested": params.get("protocolVersion")})
    if method != "server/discover":
        return 404, error(msg_id, -32601, "Method not found")
    version = meta.get("io.modelcontextprotocol/protocolVersion")
    if headers.get("MCP-Protocol-Version") != version or headers.get("Mcp-Method") != method:
        return 400, error(msg_id, -32020, "Header mismatch")
    if version != REVISION:
        return 400, error(msg_id, -32022, "Unsupported protocol version",
                          {"supported": [REVISION], "requested": version})
    result = {"supportedVersions": [REVISION], "capabilities": {}, "resultType": "complete",
              "ttlMs": 0, "cacheScope": "public",
              "_meta": {"io.modelcontextprotocol/serverInfo": {"name": "modern-target",
                                                               "version": "0"}}}
    return 200, {"jsonrpc": "2.0", "id": msg_id, "result": result}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body=None, extra=()):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > BODY_MAX:
            self.send(413)
            return
        try:
            msg = json.loads(self.rfile.read(length))
        except ValueError:
            self.send(400, error(None, -32700, "Parse error"))
            return
        if not isinstance(msg, dict):
            self.send(400, error(None, -32600, "Invalid request"))
            return
        self.send(*answer(self.headers, msg))

    def do_GET(self):
        self.send(405, extra=[("Allow", "POST")])

    do_DELETE = do_GET


def main():
    lifetime = 60
    if len(sys.argv) == 3 and sys.argv[1] == "--lifetime":
        lifetime = int(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Timer(lifetime, server.shutdown).start()
    print("listening http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
