#!/usr/bin/env python3
"""auth_front.py UPSTREAM_URL: a loopback front that demands
`Authorization: Bearer mcpwire-good-token` (401 + WWW-Authenticate otherwise)
and relays whole requests and replies to UPSTREAM_URL (run the mock with
--responses json: replies are read whole). Prints `listening URL`."""
import http.client, http.server, sys, urllib.parse

UP = urllib.parse.urlsplit(sys.argv[1])
GOOD = "Bearer mcpwire-good-token"


class Front(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def relay(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Authorization") != GOOD:
            msg = b'{"error":"invalid_token"}'
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer error="invalid_token", '
                             'resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource"')
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            self.wfile.write(msg)
            return
        up = http.client.HTTPConnection(UP.hostname, UP.port, timeout=10)
        skip = {"host", "authorization", "content-length", "connection"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        up.request(self.command, UP.path, body=body or None, headers=headers)
        r = up.getresponse()
        data = r.read() if self.command != "GET" else b""
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        up.close()

    do_POST = do_DELETE = relay

    def do_GET(self):  # no standalone stream through this front
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Front)
print(f"listening http://127.0.0.1:{srv.server_address[1]}/mcp", flush=True)
srv.serve_forever()
