#!/usr/bin/env python3
"""A small MCP client, correct by the spec, for the both-ways proof of
`mcpwire client` (tests/clients/prove_clients.py).

Usage: mcp_client.py URL   (the way `mcpwire client --command` runs it)

It POSTs initialize to URL (Streamable HTTP), falls back to the legacy
HTTP+SSE transport on 400/404/405 (SHTTP-COMPAT-04), or speaks the
stateless 2026-07-28 revision when MCP_CONFORMANCE_PROTOCOL_VERSION says so.
Then: tools/list, tools/call of the first tool listed, DELETE of the
session, exit 0. Any error: one line on stderr, exit 1.

Its SSE reader follows the WHATWG rules (CR, LF, CRLF split across reads,
one BOM, comments, fields without a space, unknown fields, multi-line data,
empty data, id and retry, an unfinished event dropped at the end), with a
line cap; it reconnects with GET and Last-Event-ID once `retry` has passed.

FAULT=name breaks one behaviour; each scenario of `mcpwire client` names
the fault that must break it (`mcpwire list --side client --format json`).
Python 3 standard library only.
"""
import base64
import http.client
import json
import os
import queue
import sys
import threading
import time
import re
import urllib.parse

FAULT = os.environ.get("FAULT", "")
VERSION = os.environ.get("MCP_CONFORMANCE_PROTOCOL_VERSION", "2025-11-25")
READ_TIMEOUT = None if FAULT == "no-read-timeout" else 3.0
REQUEST_DEADLINE = {"no-request-deadline": 1e9, "short-deadline": 1.5}.get(FAULT, 5.0)
LINE_MAX = None if FAULT == "unbounded-line" else 8 * 1024 * 1024
DEFAULT_RETRY_MS = 1000
RECONNECTS_MAX = 5
LINE_END = re.compile(b"\r\n|\r|\n")
LF_ONLY = re.compile(b"\n")
INFO = {"name": "mcpwire-test-client", "version": "1.0"}


class Failure(Exception):
    pass


class SessionExpired(Exception):
    pass


class SseParser:
    """The WHATWG event stream interpretation, fed bytes incrementally."""

    def __init__(self):
        self.last_id = None
        self.retry_ms = None
        self.first_id = None
        self.reset_stream()

    def reset_stream(self):
        self.buf = bytearray()
        self.bom_checked = False
        self.after_cr = False
        self.data = []
        self.type = ""
        self.id_buf = self.last_id

    def feed(self, chunk):
        """Returns the events (type, data bytes) dispatched by chunk."""
        events = []
        if FAULT == "sse-crlf-split-twice":
            self.after_cr = False
        if not self.bom_checked:
            self.buf += chunk
            if len(self.buf) < 3 and b"\xef\xbb\xbf".startswith(self.buf):
                return events
            self.bom_checked = True
            if self.buf.startswith(b"\xef\xbb\xbf") and FAULT != "sse-keep-bom":
                self.buf = self.buf[3:]
            chunk, self.buf = bytes(self.buf), bytearray()
        if self.after_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]  # the LF of a CRLF split across reads
        self.after_cr = False
        ends = LF_ONLY if FAULT == "sse-no-cr" else LINE_END
        start = 0
        for m in ends.finditer(chunk):
            line = bytes(self.buf) + chunk[start:m.start()]
            self.buf = bytearray()
            if FAULT == "sse-no-cr" and line.endswith(b"\r"):
                line = line[:-1]
            if m.group() == b"\r" and m.end() == len(chunk):
                self.after_cr = True
            self.line(line, events)
            start = m.end()
        self.buf += chunk[start:]
        if LINE_MAX is not None and len(self.buf) > LINE_MAX:
            raise Failure("SSE line over %d bytes" % LINE_MAX)
        return events

    def line(self, line, events):
        if not line:
            self.dispatch(events)
            return
        if line.startswith(b":"):
            if FAULT == "sse-comment-as-data":
                self.data.append(line)
            return
        if b":" in line:
            name, value = line.split(b":", 1)
            if value.startswith(b" "):
                value = value[1:]
        else:
            name, value = line, b""
        if name == b"data":
            if FAULT == "sse-strip-six":
                value = line[6:]
            if FAULT == "sse-last-data-line":
                self.data = []
            self.data.append(value)
        elif name == b"event":
            self.type = value.decode("utf-8", "replace")
        elif name == b"id":
            if b"\0" not in value:
                self.id_buf = value.decode("utf-8", "replace")
        elif name == b"retry":
            if value.isdigit():
                self.retry_ms = int(value)
        elif FAULT == "sse-unknown-field-as-data":
            self.data.append(value)

    def dispatch(self, events):
        self.last_id = self.id_buf
        if self.last_id and self.first_id is None:
            self.first_id = self.last_id
        if not self.data:
            self.type = ""
            return
        events.append((self.type or "message", self.type, b"\n".join(self.data)))
        self.data = []
        self.type = ""

    def finish(self, events):
        if FAULT == "sse-dispatch-at-eof" and (self.data or self.buf):
            if self.buf:
                self.line(bytes(self.buf), events)
            self.dispatch(events)
        self.buf = bytearray()


def decode_event(ev):
    """The JSON-RPC message(s) of an event; None for events to skip."""
    etype, explicit, data = ev
    if FAULT == "sse-untyped-only" and explicit:
        return None
    if FAULT == "sse-require-event-name" and explicit != "message":
        return None
    if etype != "message":
        return None
    if not data and FAULT != "sse-parse-empty-data":
        return None  # a priming event (SHTTP-POLL-06)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if FAULT == "abort-on-bad-utf8":
            os.abort()
    try:
        msg = json.loads(data.decode("utf-8", "replace"))
    except ValueError as e:
        raise Failure("event data is no JSON: %s" % e)
    return msg if isinstance(msg, list) else [msg]


class Client:
    def __init__(self, url):
        self.url = url
        u = urllib.parse.urlsplit(url)
        if u.scheme != "http":
            raise Failure("only http:// URLs: %s" % url)
        self.host, self.port = u.hostname, u.port or 80
        self.path = (u.path or "/") + ("?" + u.query if u.query else "")
        self.session = None
        self.version = None
        self.next_id = 0
        self.stateless = VERSION == "2026-07-28"
        self.legacy = None  # (endpoint target, event queue) on HTTP+SSE

    # ---- HTTP ----
    def connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=READ_TIMEOUT)

    def headers(self, accept):
        h = {"Accept": accept}
        if self.session is not None:
            h["Mcp-Session-Id"] = (self.session.lower() if FAULT == "session-id-lowercase"
                                   else self.session)
        if self.version and FAULT != "no-version-header":
            h["MCP-Protocol-Version"] = self.version
        return h

    def post_raw(self, msg):
        conn = self.connect()
        h = self.headers("application/json" if FAULT == "accept-json-only"
                         else "application/json, text/event-stream")
        h["Content-Type"] = "application/json"
        if self.stateless:
            h.update(modern_headers(msg))
        conn.request("POST", self.path, body=json.dumps(msg).encode(), headers=h)
        return conn, conn.getresponse()

    # ---- reading an SSE stream for the response to request id ----
    def read_stream(self, resp, parser, want_id, deadline):
        """The response to want_id, or None when the stream ended first."""
        answer = None
        while True:
            if time.monotonic() > deadline:
                raise Failure("no response within %.1f s" % REQUEST_DEADLINE)
            try:
                chunk = resp.read1(65536)
            except TimeoutError:
                raise Failure("stream silent for %.1f s" % READ_TIMEOUT)
            except (http.client.HTTPException, OSError):
                chunk = b""
            if not chunk:
                events = []
                parser.finish(events)
                answer = self.take(events, want_id) or answer
                return answer
            answer = self.take(parser.feed(chunk), want_id) or answer
            if answer and FAULT != "hang-on-garbage":
                return answer
            if answer and b"\0" in chunk:
                while True:  # the fault: stuck on bytes that are no SSE
                    time.sleep(0.1)

    def take(self, events, want_id):
        found = None
        for ev in events:
            for m in decode_event(ev) or []:
                if m.get("id") == want_id and "method" not in m:
                    found = m
                elif "method" in m and "id" in m:
                    self.answer_server(m)
        return found

    def answer_server(self, req):
        if FAULT == "ignore-server-requests":
            return
        if req["method"] == "ping":
            reply = {"jsonrpc": "2.0", "id": req["id"], "result": {}}
        else:
            reply = {"jsonrpc": "2.0", "id": req["id"],
                     "error": {"code": -32601, "message": "method not found"}}
        self.send(reply)

    def send(self, msg):
        """A notification or a response: no answer awaited."""
        if self.legacy:
            self.legacy_post(msg)
            return
        conn, resp = self.post_raw(msg)
        resp.read()
        conn.close()
        if resp.status >= 300:
            raise Failure("POST %s answered %d" % (msg.get("method", "response"), resp.status))

    def resume(self, parser, want_id, deadline):
        """GET with Last-Event-ID after retry until the response comes."""
        for _ in range(RECONNECTS_MAX):
            wait = parser.retry_ms if parser.retry_ms is not None else DEFAULT_RETRY_MS
            if FAULT != "ignore-retry":
                time.sleep(wait / 1000.0)
            conn = self.connect()
            h = self.headers("text/event-stream")
            last = parser.first_id if FAULT == "last-event-id-first" else parser.last_id
            if last and FAULT != "no-last-event-id":
                h["Last-Event-ID"] = last
            conn.request("GET", self.path, headers=h)
            resp = conn.getresponse()
            if resp.status != 200:
                raise Failure("resumption GET answered %d" % resp.status)
            parser.reset_stream()
            answer = self.read_stream(resp, parser, want_id, deadline)
            conn.close()
            if answer:
                return answer
        raise Failure("no response after %d reconnects" % RECONNECTS_MAX)

    # ---- requests ----
    def request(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        if self.stateless and FAULT != "no-meta":
            msg.setdefault("params", {})["_meta"] = {
                "io.modelcontextprotocol/protocolVersion": VERSION,
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": INFO}
        deadline = time.monotonic() + REQUEST_DEADLINE
        if self.legacy:
            return self.legacy_request(msg, deadline)
        conn, resp = self.post_raw(msg)
        try:
            if resp.status == 404 and self.session is not None:
                raise SessionExpired()
            if resp.status != 200:
                raise Failure("%s answered HTTP %d" % (method, resp.status))
            sid = resp.getheader("Mcp-Session-Id")
            if method == "initialize" and sid is not None:
                self.session = sid
            ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/json":
                answer = json.loads(resp.read())
            elif ctype == "text/event-stream":
                if FAULT == "sse-needs-chunked" and resp.getheader("Content-Length"):
                    raise Failure("an event stream with a Content-Length")
                parser = SseParser()
                answer = self.read_stream(resp, parser, msg["id"], deadline)
                if answer is None:
                    if parser.last_id is None:
                        raise Failure("%s: the stream ended without a response" % method)
                    answer = self.resume(parser, msg["id"], deadline)
            else:
                raise Failure("%s answered %s" % (method, ctype or "no Content-Type"))
        finally:
            conn.close()
        if "error" in answer:
            raise Failure("%s: error %s" % (method, answer["error"]))
        return answer["result"]

    # ---- legacy HTTP+SSE ----
    def legacy_open(self):
        conn = self.connect()
        conn.request("GET", self.path, headers={"Accept": "text/event-stream"})
        resp = conn.getresponse()
        if resp.status != 200:
            raise Failure("GET %s answered %d" % (self.url, resp.status))
        events = queue.Queue()

        def pump():
            parser = SseParser()
            while True:
                try:
                    chunk = resp.read1(65536)
                except TimeoutError:
                    continue  # an idle legacy stream is normal
                except (http.client.HTTPException, OSError):
                    chunk = b""
                if not chunk:
                    events.put(None)
                    return
                try:
                    for ev in parser.feed(chunk):
                        events.put(ev)
                except Failure as e:
                    events.put(e)
                    return

        threading.Thread(target=pump, daemon=True).start()
        wait = 0.2 if FAULT == "endpoint-no-wait" else REQUEST_DEADLINE
        try:
            ev = events.get(timeout=wait)
        except queue.Empty:
            ev = ("endpoint", "endpoint", self.path.encode())
        if not isinstance(ev, tuple) or ev[0] != "endpoint":
            raise Failure("the stream's first event is no endpoint")
        self.legacy = (self.endpoint_target(ev[2].decode("utf-8", "replace")), events)

    def endpoint_target(self, endpoint):
        base = "http://%s:%d%s" % (self.host, self.port, self.path)
        if FAULT == "endpoint-url-as-path":
            resolved = base.rsplit("/", 1)[0] + "/" + endpoint
        elif FAULT == "endpoint-relative-to-root":
            resolved = urllib.parse.urljoin(base, "/" + endpoint.lstrip("/"))
        else:
            resolved = urllib.parse.urljoin(base, endpoint)
        u = urllib.parse.urlsplit(resolved)
        if (u.hostname, u.port or 80) != (self.host, self.port):
            raise Failure("endpoint on another origin: %s" % resolved)
        target = u.path or "/"
        if u.query and FAULT != "endpoint-drop-query":
            target += "?" + u.query
        return target

    def legacy_post(self, msg):
        conn = self.connect()
        conn.request("POST", self.legacy[0], body=json.dumps(msg).encode(),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        if resp.status >= 300:
            raise Failure("POST %s answered %d" % (self.legacy[0], resp.status))

    def legacy_request(self, msg, deadline):
        self.legacy_post(msg)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("no response to %s" % msg["method"])
            try:
                ev = self.legacy[1].get(timeout=left)
            except queue.Empty:
                continue
            if ev is None or isinstance(ev, Failure):
                raise ev or Failure("the SSE stream ended")
            for m in decode_event(ev) or []:
                if m.get("id") == msg["id"] and "method" not in m:
                    if "error" in m:
                        raise Failure("%s: error %s" % (msg["method"], m["error"]))
                    return m["result"]
                if "method" in m and "id" in m:
                    self.answer_server(m)

    # ---- the exchange ----
    def initialize(self):
        self.session = None
        self.version = None
        result = self.request("initialize", {"protocolVersion": VERSION, "capabilities": {},
                                             "clientInfo": INFO})
        self.version = result.get("protocolVersion")
        if self.legacy:
            self.version = None  # no version header on HTTP+SSE
        if FAULT != "no-initialized":
            self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def start(self):
        if self.stateless:
            return
        if VERSION == "2024-11-05":
            self.legacy_open()  # HTTP+SSE only in that revision
            self.initialize()
            return
        try:
            self.initialize()
        except Failure as e:
            if "HTTP 400" in str(e) or "HTTP 404" in str(e) or "HTTP 405" in str(e):
                self.legacy_open()  # SHTTP-COMPAT-04
                self.initialize()
            else:
                raise

    def call(self, method, params=None):
        try:
            return self.request(method, params)
        except SessionExpired:
            if FAULT == "no-reinitialize-on-404":
                raise Failure("%s: session gone (404)" % method)
            self.initialize()  # SHTTP-SESSION-09
            return self.request(method, params)

    def close(self):
        if self.session is None or self.legacy or FAULT == "no-delete":
            return
        conn = self.connect()
        conn.request("DELETE", self.path, headers=self.headers("application/json"))
        conn.getresponse().read()
        conn.close()

    def run(self):
        self.start()
        tools = self.call("tools/list", {}).get("tools", [])
        if not tools:
            raise Failure("tools/list listed no tool")
        result = self.call("tools/call", {"name": tools[0]["name"], "arguments": {}})
        print("tool %s: %s" % (tools[0]["name"], json.dumps(result.get("content"))))
        self.close()


def header_value(v):
    """A 2026-07-28 mirrored header value: Base64 sentinel when not plain."""
    s = str(v).lower() if isinstance(v, bool) else str(v)
    plain = s == s.strip() and all(0x20 <= ord(c) < 0x7f for c in s)
    if plain and not (s.startswith("=?base64?") and s.endswith("?=")):
        return s
    return "=?base64?" + base64.b64encode(s.encode()).decode() + "?="


def modern_headers(msg):
    h = {}
    method = msg.get("method")
    if method and "id" in msg and FAULT != "no-mcp-method":
        h["Mcp-Method"] = method
    if method == "tools/call":
        h["Mcp-Name"] = header_value(msg["params"]["name"])
    h["MCP-Protocol-Version"] = VERSION
    return h


def main():
    if len(sys.argv) < 2:
        print("usage: mcp_client.py URL", file=sys.stderr)
        return 2
    try:
        Client(sys.argv[-1]).run()
    except (Failure, SessionExpired, OSError, http.client.HTTPException, ValueError,
            KeyError) as e:
        print("mcp_client: %s" % (e or type(e).__name__), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
