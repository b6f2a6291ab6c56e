#!/usr/bin/env python3
"""Writes the hand-written seeds (MCP exchanges, WHATWG edge cases, HTTP/1.1
framing cases) into fuzz/corpus/<target>/. Run from anywhere; files are
named hand-<n>. With target names as arguments, only those corpora are
written (the others may have been merged since)."""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', 'corpus')

SSE_STREAMS = [
    b'event: endpoint\ndata: /messages?sessionId=abc\n\n',
    b'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2024-11-05"}}\n\n',
    b'id: 1\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":5}}\n\n',
    b'id: p\ndata:\n\n',                             # 2025-11-25 priming event
    b'id: 7\nretry: 3000\n\n',
    b'\xef\xbb\xbfid: 1\ndata: a\n\n',              # BOM
    b'\xef\xbb\xbf\xef\xbb\xbfdata: x\n\n',         # second BOM is bytes
    b'data: a\r\ndata: b\r\n\r\n',
    b'data: a\rdata: b\r\r',
    b'data: a\r\n\r\ndata: b\n\r\n',
    b': keep-alive\n\n: ping\ndata: x\n\n',
    b'data:  two spaces\n\n',
    b'data\n\ndata\ndata\n\n',
    b'Data: x\ndata : y\nfoo: bar\n\n',
    b'event:\ndata: x\n\nevent: custom\n\n',
    b'retry: 1.5s\nretry: -1\nretry: 800\nretry:\nretry: 007\n\n',
    b'retry: 99999999999999999999999\n\n',
    b'id: a\x00b\ndata: x\n\nid:\ndata: y\n\n',
    b'id: \xc3\xa91\ndata: \xff\xfe\n\n',
    b'data: unterminated',
    b'data: pending\n',
    b'data: a\n\n' * 20,
    b'event: message\ndata: {"jsonrpc":"2.0",\ndata: "id":"x","result":{}}\n\n',
    b'id:5\n\nid: 6\ndata:z\n\n',
]

def sse_seeds():
    out = []
    for i, s in enumerate(SSE_STREAMS):
        out.append(bytes([0, 0]) + s)          # chunks of 1
        out.append(bytes([1, 0]) + s)          # byte by byte
        out.append(bytes([2, i]) + s)          # random chunks
        out.append(bytes([4 | 2, i]) + s)      # small caps
        out.append(bytes([16 | 8 | 0, 2]) + s) # reconnect + empty feeds
    out.append(bytes([4, 0]) + b'data: ' + b'x' * 200 + b'\n\n')
    out.append(bytes([4, 0]) + b'data: ' + b'x' * 60 + b'\n' + b'data: y\n' * 30 + b'\n')
    # structured mode: flags, comment, type, id, retry(3), len, data
    out.append(bytes([3, 0, 0x1f, 3]) + b'c c' + bytes([7]) + b'message' + bytes([1]) + b'1'
               + bytes([0, 1, 0, 5]) + b'a\nb\nc')
    out.append(bytes([3, 0, 0x10, 0, 0, 0, 0, 0, 0, 0]))
    out.append(bytes([3, 0, 0x06, 0, 2]) + b' x' + bytes([0, 0, 0, 0, 0]))
    return out

DIFF_STREAMS = SSE_STREAMS

JSONRPC_BODIES = [
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}',
    b'{"jsonrpc":"2.0","method":"notifications/initialized"}',
    b'{"jsonrpc":"2.0","id":"a","result":{"tools":[{"name":"echo","inputSchema":{"type":"object"}}]}}',
    b'{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"Method not found","data":{"m":"x"}}}',
    b'{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}',
    b'[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}]',
    b'{"jsonrpc":"2.0","id":12345678901234567890,"method":"tools/call","params":{"name":"echo","arguments":{"text":"\\u00e9\\ud83d\\ude00"}}}',
    b'{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}',
    b'{"jsonrpc":"2.0","id":01,"method":"ping"}',
    b'{"jsonrpc":"2.0","id":1.5,"method":"ping"}',
    b'{"jsonrpc":"2.0","id":1,"method":"a\\u0000b"}',
    b'{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}',
    b'{"jsonrpc":"1.0","id":1,"method":"ping"}',
    b'{"jsonrpc":"2.0","id":1,"result":{}} x',
    b'{"jsonrpc":"2.0","id":"\\ud800","result":{}}',
    b'{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}',
    b'[]', b'[1]', b'{}', b'null', b'"\xff"', b'[' * 70 + b']' * 70,
    b'{"jsonrpc":"2.0","id":-0,"result":{"a":[true,false,null,1e5,-2.5E-3]}}',
    b'{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"\\t\\n\\"\\\\\\/"}}',
]

URL_REFS = [
    b'\x00/messages?sessionId=abc', b'\x00messages', b'\x00../up', b'\x01//other.example/m',
    b'\x02http://example.com/x', b'\x03?q=1', b'\x04#frag', b'\x05https://example.com:443/m',
    b'\x06/a/./b/../c', b'\x07%2e%2e/x', b'\x00http://127.0.0.1:3000/messages',
    b'\x00ftp://x/y', b'\x00/has space', b'\x00/ctl\x01', b'\x00', b'\x00javascript:alert(1)',
    b'\xffhttp://127.0.0.1:1/a/b\n../c', b'\xffnot a url\n/x', b'\x03//[::1]:9/x',
    b'\x00/\xc3\xa9', b'\x00http://user@host:99999/x', b'\x00HTTP://LOCALHOST/x',
]

# fuzz_http_framing: (is_response, pending requests byte, stream). The
# pending byte: (b & 7) requests sent before the stream, HEAD when bit 3+i.
HTTP_STREAMS = [
    (1, 0, b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'),
    (1, 0, b'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'
           b'5;name="x;y"\r\nhello\r\nA \r\n, world!!!\r\n0\r\nX-Trailer: 1\r\n\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n'
           b'Transfer-Encoding: chunked\r\n\r\n7\r\ndata: a\r\n3\r\n\n\nd\r\n0\r\n\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n'
           b'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabc'),
    (1, 0, b'HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n'
           b'HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n'
           b'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz'),
    (1, 0x08 | 2, b'HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n'
                  b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
    (1, 0, b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n'
           b'Connection: Upgrade\r\n\r\n\x81\x05hello'),
    (1, 0, b'HTTP/1.1 202 Accepted\r\nMcp-Session-Id: abc\r\nContent-Length: 0\r\n\r\n'
           b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 36\r\n\r\n'
           b'{"jsonrpc":"2.0","id":1,"result":{}}'),
    (1, 0, b'HTTP/1.0 404 Nope\nX: y\n folded\n\t more\nContent-Length: 4, 4\n\nnope'),
    (1, 0, b'HTTP/1.1 20 OK\r\n\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'),
    (1, 0, b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nbroken\r\n\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab'),
    (1, 0, b'HTTP/1.1 200 OK\r\nX: 1\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
           b'fffffffffffffff\r\n'),
    (1, 0, b'HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nx'),
    (1, 0, b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
           b'3\nabc\n0\nT: 1\rX\n\n'),
    (0, 0, b'\r\nGET /mcp HTTP/1.1\r\nHost: a\r\n\r\n'
           b'POST /mcp HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}'
           b'POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n'
           b'DELETE /mcp HTTP/1.0\n\n'),
    (0, 0, b'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
           b'Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-06-18\r\n'
           b'Content-Length: 46\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"tools/list"}'),
    (0, 0, b'HEAD / HTTP/1.1\r\n\r\nGET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n'
           b'Last-Event-ID: 5\r\n\r\n'),
    (0, 0, b'POST /mcp HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n'),
    (0, 0, b'GET/ HTTP/1.1\r\n\r\n'),
]

def http_seeds():
    out = []
    for i, (resp, pending, s) in enumerate(HTTP_STREAMS):
        out.append(bytes([resp, i, pending]) + s)                 # chunks of i%16+1
        out.append(bytes([resp | 1 << 1, 0, pending]) + s)       # byte by byte
        out.append(bytes([resp | 2 << 1 | 8, i, pending]) + s)    # random, empty feeds
        out.append(bytes([resp | 3 << 1, 37 * i % 256, pending]) + s)  # two pieces
    return out

# fuzz_mcp_header: byte 0 is the mode (0 value, 1 schema, 2 request).
MCP_VALUES = [
    b'us-west1', 'Hello, 世界'.encode(), b' padded ', b'line1\nline2', b'line1\r\nline2',
    b'\tindented', b'=?base64?literal?=', b'us west 1', b'', b'a\tb', b'=?base64?=',
    b'=?base64?SGVsbG8=?=', b'=?BASE64?SGVsbG8=?=', b'SGVsbG8=', b'=?base64?SGVsbG8=',
    b'=?base64?SGVsbG8?=', b'=?base64?SGVs!!!bG8=?=', b'=?base64?SGVsbG8-?=', b'=?base64?S===?=',
    b'  =?base64?IHBhZGRlZCA=?=\t', b'caf\xc3\xa9', b'a\x00b', b'=?base64?YQBi?=', b'=?base64??=',
]
MCP_SCHEMAS = [
    b'{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"},'
    b'"n":{"type":"integer","x-mcp-header":"N"},"cfg":{"type":"object","properties":'
    b'{"dry":{"type":"boolean","x-mcp-header":"Dry-Run"}}},"query":{"type":"string"}}}',
    b'{"properties":{"p":{"type":"number","x-mcp-header":"P"}}}',
    b'{"properties":{"p":{"type":"string","x-mcp-header":"A B"}}}',
    b'{"properties":{"a":{"type":"string","x-mcp-header":"X"},"b":{"type":"string","x-mcp-header":"x"}}}',
    b'{"properties":{"l":{"type":"array","items":{"type":"string","x-mcp-header":"X"}}}}',
    b'{"properties":{"a":{"$ref":"#/$defs/r"}},"$defs":{"r":{"type":"string","x-mcp-header":"X"}}}',
    b'{"oneOf":[{"properties":{"a":{"type":"string","x-mcp-header":"X"}}}]}',
    b'{"properties":{"x-mcp-header":{"type":"string"}},"default":{"x-mcp-header":1}}',
    b'"=?base64?literal?="', b'-7', b'42.0', b'true', b'3.5',
]
MCP_META = b'"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
MCP_REQUESTS = [
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{' + MCP_META +
    b',"name":"execute_sql","arguments":{"region":"us-west1","n":42,"cfg":{"dry":true},"query":"q"}}}\0' +
    MCP_SCHEMAS[0] + b'\0MCP-Protocol-Version:2026-07-28\nMcp-Method:tools/call\nMcp-Name:execute_sql\n'
    b'Mcp-Param-Region:us-west1\nMcp-Param-N:42.0\nMcp-Param-Dry-Run:true',
    b'{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{' + MCP_META +
    b',"name":"h\xc3\xa9llo","arguments":{"region":" padded ","n":-7}}}\0' + MCP_SCHEMAS[0] +
    b'\0mcp-protocol-version: 2026-07-28\nmcp-method: tools/call\nmcp-name: =?base64?aMOpbGxv?=\n'
    b'mcp-param-region: =?base64?IHBhZGRlZCA?=',
    b'{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{' + MCP_META +
    b',"uri":"file:///data/\xc3\xbcn\xc3\xaf.txt"}}\0\0MCP-Protocol-Version:2026-07-28\n'
    b'Mcp-Method:resources/read\nMcp-Name:=?base64?ZmlsZTovLy9kYXRhL8O8bsOvLnR4dA==?=',
    b'{"jsonrpc":"2.0","id":3,"method":"prompts/get","params":{' + MCP_META + b',"name":"p"}}\0\0'
    b'Mcp-Method:prompts/get\nMcp-Name:=?BASE64?cA==?=',
    b'{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{' + MCP_META + b'}}\0\0'
    b'MCP-Protocol-Version:1900-01-01\nMcp-Method:TOOLS/LIST',
    b'{"jsonrpc":"2.0","method":"notifications/cancelled","params":{}}\0\0',
]

def mcp_header_seeds():
    return ([bytes([0]) + v for v in MCP_VALUES] + [bytes([1]) + s for s in MCP_SCHEMAS] +
            [bytes([2]) + r for r in MCP_REQUESTS])

# stdio streams (newline-delimited JSON-RPC): what a server's stdout holds,
# well-formed and not: CRLF, lone CR, BOM, NUL, invalid UTF-8, banners,
# pretty-printed JSON, a last line without LF, lines over a small cap.
STDIO_STREAMS = [
    b'{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{}}}\n',
    b'{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}\n'
    b'{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"ok"}]}}\n',
    b'{"id":1}\r\n{"id":2}\r\n',
    b'a\rb\n\r\r\n\r',
    b'\xef\xbb\xbf{"jsonrpc":"2.0","id":0,"result":{}}\n',
    b'\xef\xbb\xbf\xef\xbb\xbf\n\xef\xbb',
    b'\xef\xbbx\n',
    b'{"a":"x\x00y"}\n',
    b'ab\x80c\nx\xc0\xafy\n\xed\xa0\x80\n\xf4\x90\x80\x80\nok\xe2\x82\n\xac\n',
    b'\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n',
    b'Server v1.2 ready\n{"jsonrpc":"2.0","id":0,"result":{}}\n',
    b'{\n  "jsonrpc": "2.0"\n}\n',
    b'{"jsonrpc":"2.0","id":3,"result":{}}',
    b'\n\n\r\n\n',
    b'x' * 100 + b'\n' + b'y' * 40 + b'\r\n' + b'z' * 70,
]

def line_seeds():
    out = []
    for i, s in enumerate(STDIO_STREAMS):
        out.append(bytes([0, i]) + s)          # fixed chunks
        out.append(bytes([1, 0]) + s)          # byte by byte
        out.append(bytes([2, i]) + s)          # random chunks
        out.append(bytes([3, 128]) + s)        # two pieces
        out.append(bytes([4 | 8 | 2, i]) + s)  # small cap, empty feeds
    return out

def write(target, seeds):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for i, s in enumerate(seeds):
        with open(os.path.join(d, 'hand-%03d' % i), 'wb') as f:
            f.write(s)
    print('%s: %d hand seeds' % (target, len(seeds)))

ALL = {
    'fuzz_sse': sse_seeds,
    'fuzz_sse_diff': lambda: [bytes([0]) + s for s in DIFF_STREAMS] + [bytes([1]) + s for s in DIFF_STREAMS],
    'fuzz_jsonrpc': lambda: JSONRPC_BODIES,
    'fuzz_endpoint_url': lambda: URL_REFS,
    'fuzz_http_framing': http_seeds,
    'fuzz_mcp_header': mcp_header_seeds,
    'fuzz_line': line_seeds,
}
for name in sys.argv[1:] or list(ALL):
    if name not in ALL:
        sys.exit('make_hand_seeds: no hand seeds for %s (known: %s)' % (name, ' '.join(ALL)))
    write(name, ALL[name]())
