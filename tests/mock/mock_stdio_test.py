#!/usr/bin/env python3
"""mock_stdio_test MOCK_BIN: `mcpwire-mock --stdio` launched through pipes.

Without faults: every stdout line is one compact JSON-RPC message ended by
LF (STDIO-03/04/07), initialize, ping, tools/list and tools/call (progress
notifications included, a 2025-03-26 batch too) are answered, nothing more
is written once stdin closes and the process exits 0 promptly (STDIO-09).
Then each stdio fault must show its deviation, and the stdio-crlf wire
variant must change only the line ends. Every wait has a deadline.
"""
import json
import os
import select
import signal
import subprocess
import sys
import time

WAIT_S = 5.0        # for an expected answer
EXIT_S = 2.0        # for the exit after stdin closes (the mock drains within 2 s)
QUIET_S = 0.3       # how long "nothing more" is watched

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "mock_stdio_test", "version": "1"}}}
SESSION = [
    INIT,
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "ping"},
    {"jsonrpc": "2.0", "id": 3, "method": "tools/list"},
    {"jsonrpc": "2.0", "id": 4, "method": "tools/call",
     "params": {"name": "slow", "arguments": {"steps": 2}, "_meta": {"progressToken": "p4"}}},
    {"jsonrpc": "2.0", "id": 5, "method": "tools/call",
     "params": {"name": "echo", "arguments": {"text": "hi"}}},
]
IDS = {1, 2, 3, 4, 5}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


class Mock:
    def __init__(self, binary, extra):
        self.p = subprocess.Popen([binary, "--stdio", "--slow-step-ms", "10"] + extra,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.out = b""
        self.eof = False

    def send(self, msgs):
        data = b"".join(json.dumps(m, separators=(",", ":")).encode() + b"\n" for m in msgs)
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def pump(self, until, deadline_s):
        """Reads stdout until until(self.out) holds, EOF or the deadline."""
        end = time.monotonic() + deadline_s
        while not self.eof and not until(self.out):
            left = end - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                self.out += chunk
                self.eof = not chunk
        return until(self.out)

    def close_stdin(self):
        self.p.stdin.close()

    def exited_within(self, s):
        try:
            self.p.wait(timeout=s)
            return True
        except subprocess.TimeoutExpired:
            return False

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            if not self.exited_within(2.0):
                self.p.kill()
                self.p.wait()
        self.p.stdout.close()


def messages(out, crlf=False):
    """The messages of complete lines; None when a line is not one."""
    lines = out.split(b"\n")[:-1]
    msgs = []
    for line in lines:
        if crlf:
            if not line.endswith(b"\r"):
                return None
            line = line[:-1]
        try:
            m = json.loads(line)
        except ValueError:
            return None
        if not isinstance(m, (dict, list)):
            return None
        msgs.append(m)
    return msgs


def answered(out, ids, crlf=False):
    msgs = messages(out, crlf) or []
    got = set()
    for m in msgs:
        for x in m if isinstance(m, list) else [m]:
            if "id" in x and ("result" in x or "error" in x):
                got.add(x["id"])
    return ids <= got


def contains_ids(out, ids):
    """The ids of responses found anywhere in out (line framing aside)."""
    return all((b'"id":%d,"result"' % i) in out for i in ids)


def batch_2503(binary):
    """A 2025-03-26 session: a batch is answered as one array line."""
    m = Mock(binary, [])
    init = json.loads(json.dumps(INIT))
    init["params"]["protocolVersion"] = "2025-03-26"
    m.send([init, {"jsonrpc": "2.0", "method": "notifications/initialized"},
            [{"jsonrpc": "2.0", "id": 7, "method": "ping"}, {"jsonrpc": "2.0", "id": 8, "method": "ping"}]])
    check(m.pump(lambda o: answered(o, {1, 7, 8}), WAIT_S), "2025-03-26: the batch answered")
    check(any(isinstance(x, list) and len(x) == 2 for x in messages(m.out) or []),
          "2025-03-26: the batch answered as one array line")
    m.close_stdin()
    check(m.exited_within(EXIT_S), "2025-03-26: exits once stdin closes")
    m.stop()


def correct_session(binary):
    m = Mock(binary, [])
    m.send(SESSION)
    check(m.pump(lambda o: answered(o, IDS), WAIT_S), "no fault: ids 1-5 answered")
    msgs = messages(m.out)
    check(msgs is not None and b"\r" not in m.out, "no fault: every line is one JSON-RPC message, LF ended")
    msgs = msgs or []
    check(all(x.get("jsonrpc") == "2.0" for x in msgs), "no fault: jsonrpc 2.0 on every line")
    byid = {x["id"]: x for x in msgs if "id" in x}
    check(byid.get(1, {}).get("result", {}).get("protocolVersion") == "2025-06-18",
          "no fault: initialize negotiated 2025-06-18")
    check(byid.get(2, {}).get("result") == {}, "no fault: ping answered {}")
    names = [t["name"] for t in byid.get(3, {}).get("result", {}).get("tools", [])]
    check("slow" in names and "echo" in names, "no fault: tools/list lists slow and echo")
    progress = [x for x in msgs if x.get("method") == "notifications/progress"]
    check(len(progress) == 2 and all(x["params"]["progressToken"] == "p4" for x in progress),
          "no fault: slow sent 2 progress notifications with token p4")
    check("hi" in json.dumps(byid.get(5, {}).get("result")), "no fault: echo answered")
    m.send([{"jsonrpc": "2.0", "id": 6, "method": "ping"}, [{"jsonrpc": "2.0", "id": 7, "method": "ping"},
            {"jsonrpc": "2.0", "id": 8, "method": "ping"}]])
    refused = lambda o: any(isinstance(x, dict) and x.get("id") is None and
                            x.get("error", {}).get("code") == -32600 for x in messages(o) or [])
    check(m.pump(lambda o: answered(o, {6}) and refused(o), WAIT_S),
          "no fault: ping answered, a batch refused at 2025-06-18 (-32600, id null)")
    before = len(m.out)
    m.close_stdin()
    m.pump(lambda o: False, EXIT_S)
    check(m.eof and len(m.out) == before, "no fault: nothing written after stdin closed")
    check(m.exited_within(EXIT_S) and m.p.returncode == 0, "no fault: exit 0 once stdin closed")
    m.stop()


def fault_session(binary, extra, init_only=True):
    """Sends initialize and ping; returns the Mock (stdout so far read)."""
    m = Mock(binary, extra)
    m.send([INIT, {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "ping"}])
    m.pump(lambda o: contains_ids(o, {1, 2}), WAIT_S)
    return m


def faults(binary):
    m = fault_session(binary, ["--fault", "stdio-log-on-stdout"])
    check(contains_ids(m.out, {1, 2}) and messages(m.out) is None,
          "stdio-log-on-stdout: answered, with a line that is no JSON-RPC message")
    m.stop()

    m = fault_session(binary, ["--fault", "stdio-pretty-printed"])
    check(m.out.count(b"\n") >= 6 and messages(m.out) is None,
          "stdio-pretty-printed: messages span several lines")
    m.stop()

    m = fault_session(binary, ["--fault", "stdio-partial-last-line"])
    check(contains_ids(m.out, {1, 2}) and not m.out.endswith(b"\n"),
          "stdio-partial-last-line: the last message has no newline")
    m.close_stdin()
    m.pump(lambda o: False, EXIT_S)
    check(m.eof and not m.out.endswith(b"\n"), "stdio-partial-last-line: stdout ends unterminated")
    m.stop()

    m = fault_session(binary, ["--fault", "stdio-ignores-eof"])
    check(answered(m.out, {1, 2}), "stdio-ignores-eof: answered")
    m.close_stdin()
    check(not m.exited_within(EXIT_S), "stdio-ignores-eof: still running after stdin closed")
    m.stop()

    m = fault_session(binary, ["--fault", "stdio-writes-after-eof"])
    check(answered(m.out, {1, 2}), "stdio-writes-after-eof: answered")
    before = len(m.out)
    m.close_stdin()
    m.pump(lambda o: False, EXIT_S)
    check(len(m.out) > before and b"notifications/message" in m.out[before:],
          "stdio-writes-after-eof: a message written after stdin closed")
    m.stop()

    # A wire variant, valid but unusual (STDIO-12): the messages are intact.
    m = fault_session(binary, ["--wire", "stdio-crlf"])
    check(answered(m.out, {1, 2}, crlf=True) and m.out.endswith(b"\r\n"),
          "stdio-crlf: every line ends with CRLF, messages intact")
    m.stop()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    correct_session(sys.argv[1])
    batch_2503(sys.argv[1])
    faults(sys.argv[1])
    print("mock_stdio_test: %d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
