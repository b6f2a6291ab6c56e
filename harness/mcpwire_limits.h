/*
 * mcpwire_limits.h: every cap and every default deadline in one place.
 *
 * Each growable buffer in mcpwire names its ceiling here (the curl way:
 * lib/curlx/dynbuf.h). A hostile peer can make mcpwire hit a cap and fail a
 * case with a clear error; it can never make it grow without bound or wait
 * forever. Change a value here, not at the call site.
 */
#ifndef MCPWIRE_LIMITS_H
#define MCPWIRE_LIMITS_H

/* ---- SSE codec ---- */
/* One SSE line (a field name plus its value). MCP data lines carry whole
 * JSON-RPC messages, and tool results with images reach several MiB. */
#define MCPWIRE_SSE_LINE_MAX            (8u * 1024 * 1024)
/* The data buffer of one event (all its data lines joined). */
#define MCPWIRE_SSE_EVENT_MAX           (16u * 1024 * 1024)
/* `mcpwire parse sse` (sse_log) writes its JSON lines out once this much is
 * pending, so a long stream never accumulates. */
#define MCPWIRE_SSE_LOG_FLUSH_AT        (64u * 1024)
/* Pending JSON lines of sse_log: one event line with every byte escaped (6x:
 * \u00XX) of its data, type and id, on top of what waits for a flush. */
#define MCPWIRE_SSE_LOG_MAX             (6u * (MCPWIRE_SSE_EVENT_MAX + 2u * MCPWIRE_SSE_LINE_MAX) + MCPWIRE_SSE_LOG_FLUSH_AT + 256u)

/* ---- stdio line codec (codec/line) ---- */
/* One line of a stdio stream, terminator not counted: one JSON-RPC message
 * (tool results with images reach several MiB), so the JSON body cap. A
 * longer line is reported once and dropped up to its LF. */
#define MCPWIRE_STDIO_LINE_MAX          (16u * 1024 * 1024)

/* ---- stdio child process (transport/stdio_process) ---- */
/* One read of the child's stdout or stderr, handed to the caller. */
#define MCPWIRE_STDIO_READ_CHUNK        (64u * 1024)
/* The executable's path, resolved in PATH before fork. */
#define MCPWIRE_STDIO_PATH_MAX          4096
/* Longest single poll of the child's pipes; a wait is made of these. */
#define MCPWIRE_STDIO_POLL_SLICE_MS     500
/* How often an exit is checked for while nothing is read. */
#define MCPWIRE_STDIO_REAP_POLL_MS      5
/* Shutdown (STDIO-09, S26-STDIO-10/11: a server should exit within 2 to
 * 5 s of EOF): the waits after closing stdin, after SIGTERM, after SIGKILL. */
#define MCPWIRE_STDIO_EOF_WAIT_MS       2000
#define MCPWIRE_STDIO_TERM_WAIT_MS      2000
#define MCPWIRE_STDIO_KILL_WAIT_MS      2000
/* After the exit, what is left in the pipes is read for at most this long
 * (a descendant outside the group may hold them open). */
#define MCPWIRE_STDIO_FINAL_DRAIN_MS    200
/* Cases at once against a --command server (default of --jobs there):
 * each launches a process, which may be a whole runtime (node). */
#define MCPWIRE_STDIO_CASES_IN_FLIGHT   4
/* The large message stdio/framing/large-message sends (a ping padded in
 * _meta): several MiB on one line. */
#define MCPWIRE_STDIO_LARGE_MESSAGE     (4u * 1024 * 1024)
/* tools/list params members a fixture walk sends through verifier/peer
 * (a cursor, JSON-escaped). */
#define MCPWIRE_CURSOR_PARAMS_MAX       4096
/* A raw probe (unparseable JSON, a malformed request) a case sends as one
 * message through verifier/peer. */
#define MCPWIRE_PEER_RAW_MAX            4096
/* --env entries of `mcpwire run --command`. */
#define MCPWIRE_STDIO_ENV_MAX           64
/* The first answer of a server launched as a command may wait for its cold
 * start (npx fetching a package): the profile's initialize waits this long
 * more than a step. */
#define MCPWIRE_STDIO_FIRST_ANSWER_MS   60000
/* Descriptors the stdio watchdog closes when close_range is missing. */
#define MCPWIRE_WATCHDOG_FDS_SCAN       4096
/* Server processes alive at once that a signal handler can kill (more
 * still run, but Ctrl-C would not reach their groups): cases in flight,
 * at most MCPWIRE_CASES_IN_FLIGHT_MAX, each one process, and the profile's. */
#define MCPWIRE_STDIO_PROCESSES_MAX     64

/* ---- stdio channel (transport/stdio_channel) ---- */
/* Stdout lines read but not yet taken by the caller. One read chunk gives
 * at most one line per byte plus the line it completes, so this is never
 * reached by a well-behaved reader; past it the channel fails. */
#define MCPWIRE_STDIO_QUEUE_MAX         (MCPWIRE_STDIO_READ_CHUNK + 1u)
/* Lines kept while awaiting one response (notifications, server requests,
 * lines that are not messages); later ones are counted, not kept. */
#define MCPWIRE_STDIO_COLLECTED_MAX     1024u

/* ---- JSON / JSON-RPC ---- */
/* One JSON-RPC body (a POST body, one SSE event's data, one stdio line). */
#define MCPWIRE_JSON_BODY_MAX           (16u * 1024 * 1024)
/* Nesting of arrays and objects; deeper input is rejected before cJSON. */
#define MCPWIRE_JSON_DEPTH_MAX          64
/* Past MCPWIRE_JSON_DEPTH_MAX the scanner still checks the grammar, so the
 * `json` flag stays exact, and refuses the body as LIMIT; this deep it stops
 * reading (one small frame per level, about 2.5 MiB at most). */
#define MCPWIRE_JSON_GRAMMAR_DEPTH_MAX  65536
/* Members in one JSON object (duplicate-key check is bounded by this). */
#define MCPWIRE_JSON_MEMBERS_MAX        4096
/* Values (scalars and containers) in one body: cJSON spends about 64 bytes
 * per value, so this bounds the tree near 64 MiB whatever the body holds. */
#define MCPWIRE_JSON_VALUES_MAX         (1u << 20)
/* Messages in one JSON-RPC batch array (2025-03-26 only). */
#define MCPWIRE_JSONRPC_BATCH_MAX       1024
/* Problems recorded for one message; later ones are counted, not kept. */
#define MCPWIRE_JSONRPC_PROBLEMS_MAX    16
/* One golden vector file of tests/vectors/jsonrpc, read whole by its tests. */
#define MCPWIRE_JSONRPC_VECTOR_MAX      (1u * 1024 * 1024)
/* Bodies the JSON differential test hands its oracle in one run. */
#define MCPWIRE_JSONRPC_DIFF_INPUTS_MAX 40000
/* How long that oracle (node) may take to judge them all. */
#define MCPWIRE_JSONRPC_DIFF_ORACLE_S   120

/* ---- 2026-07-28 mirrored headers (codec/mcp_header) ---- */
/* One mirrored header value (MCP-Protocol-Version, Mcp-Method, Mcp-Name,
 * Mcp-Param-*) as text, NUL included: decoded from a received header or
 * converted from a JSON argument. A longer value is not judged (a limit). */
#define MCPWIRE_MCP_HEADER_VALUE_MAX    (8u * 1024)
/* The same value sent: "=?base64?" + Base64 (4 bytes per 3) + "?=". */
#define MCPWIRE_MCP_HEADER_WIRE_MAX     (11u + 4u * ((MCPWIRE_MCP_HEADER_VALUE_MAX + 2u) / 3u) + 1u)
/* The {Name} of an Mcp-Param-{Name} header (an x-mcp-header value), NUL included. */
#define MCPWIRE_MCP_PARAM_NAME_MAX      128
/* Property names on the `properties` path to one annotated argument, and
 * the length of one, NUL included. */
#define MCPWIRE_MCP_PARAM_DEPTH_MAX     8
#define MCPWIRE_MCP_PARAM_KEY_MAX       128
/* x-mcp-header annotations kept from one tool inputSchema. */
#define MCPWIRE_MCP_PARAMS_MAX          32
/* Nesting of an inputSchema walked for annotations (deeper: a limit). */
#define MCPWIRE_MCP_SCHEMA_DEPTH_MAX    MCPWIRE_JSON_DEPTH_MAX
/* One reason line of the mirrored-header checks (values quoted and cut). */
#define MCPWIRE_MCP_HEADER_WHY_MAX      512

/* ---- endpoint URL (legacy HTTP+SSE) ---- */
/* Times a resolved endpoint URL is parsed again until libcurl rebuilds it
 * unchanged (a percent-encoded numeric host settles on the second pass). */
#define MCPWIRE_URL_SETTLE_PASSES_MAX   4

/* ---- HTTP client (harness) ---- */
/* All response headers of one response. */
#define MCPWIRE_HTTP_HEADERS_MAX        (64u * 1024)
/* A non-streaming response body (application/json replies, error bodies). */
#define MCPWIRE_HTTP_BODY_MAX           (16u * 1024 * 1024)
/* Bytes read from one stream before the case is ended with an error. */
#define MCPWIRE_STREAM_BYTES_MAX        (64u * 1024 * 1024)
/* Bytes read by all streams of one case together: a case that opens many
 * streams (session entropy, isolation) to a hostile server stays bounded. */
#define MCPWIRE_CASE_BYTES_MAX          (64u * 1024 * 1024)
/* Events kept from one stream within one case. */
#define MCPWIRE_STREAM_EVENTS_MAX       10000
/* Streams (easy handles) open at once within one case. */
#define MCPWIRE_STREAMS_PER_CASE_MAX    128
/* Transcript text kept per case; past this it is truncated with a marker. */
#define MCPWIRE_TRANSCRIPT_MAX          (1u * 1024 * 1024)
/* Header lines a case adds to one Streamable HTTP request (shttp_request). */
#define MCPWIRE_SHTTP_EXTRA_HEADERS_MAX 4
/* Header lines a case adds to one stateless (2026-07-28) request. */
#define MCPWIRE_STATELESS_EXTRA_HEADERS_MAX 8
/* One mirrored header value (Mcp-Name, Mcp-Param-*) after sentinel
 * Base64 encoding; a longer one is not sent. */
#define MCPWIRE_STATELESS_HEADER_VALUE_MAX 2048
/* Custom --header options. */
#define MCPWIRE_CUSTOM_HEADERS_MAX      32
/* Origins a case may send requests to with the user's headers: the
 * target's, the run's --proxy, and the fault proxies a case has running
 * (every-offset runs one per attempt in flight). */
/* lb/connection cases: sessions opened through one URL, each used on new
 * connections. A balancer hashing a key picks an instance per session, so
 * this many sessions show a deployment that loses some (1 in 2^12 chance
 * that all hash home with two instances). */
#define MCPWIRE_LB_SESSIONS             12
/* mcpwire run --instance: other instances of the target's deployment. */
#define MCPWIRE_INSTANCES_MAX           8
#define MCPWIRE_HOME_ORIGINS_MAX        (8 + MCPWIRE_INSTANCES_MAX + \
                                         MCPWIRE_RECONNECT_PARALLEL * MCPWIRE_RECONNECT_SESSIONS)
/* --allow-origin options (origins that get requests, never the headers). */
#define MCPWIRE_ALLOWED_ORIGINS_MAX     8
/* Secrets looked for in what reports keep: two per --header (the value and
 * its token) and the URL's password (as given and as encoded). */
#define MCPWIRE_SECRETS_MAX             (2 * MCPWIRE_CUSTOM_HEADERS_MAX + 2)
/* Shortest secret looked for in free text: shorter values would match
 * ordinary words, so they are only redacted in the header lines. */
#define MCPWIRE_SECRET_SCAN_MIN         6
/* Room for the URL's password, plain and percent-encoded. */
#define MCPWIRE_SECRET_URL_PASSWORD_MAX 512

/* ---- CLI ---- */
/* One error line of the CLI (longer messages are cut). */
#define MCPWIRE_CLI_MESSAGE_MAX         2048

/* ---- engine ---- */
/* Entries of a DiscoverResult's supportedVersions the profile reads. */
#define MCPWIRE_DISCOVER_VERSIONS_MAX   16
/* The profile's evidence text: a few lines. */
#define MCPWIRE_PROFILE_EVIDENCE_MAX    (16u * 1024)
/* Events the legacy probe reads past a first event that is not `endpoint`,
 * looking for one, before it calls the stream no MCP transport. */
#define MCPWIRE_PROBE_ENDPOINT_EVENTS_MAX 16
/* Cases running at once (default of --jobs), and the most --jobs allows. */
#define MCPWIRE_CASES_IN_FLIGHT         8
#define MCPWIRE_CASES_IN_FLIGHT_MAX     32
/* Cases in the registry (static table). */
#define MCPWIRE_CASES_MAX               1024
/* Lines read from a baseline file, and the length of one. */
#define MCPWIRE_BASELINE_LINES_MAX      4096
#define MCPWIRE_BASELINE_LINE_MAX       512
/* Sessions opened at once to judge session ids (SHTTP-SESSION-02/14):
 * enough for duplicates and per-position diversity to show. */
#define MCPWIRE_SESSION_ID_SAMPLE       64
/* Estimated session id entropy under which the id is called guessable. */
#define MCPWIRE_SESSION_ID_MIN_BITS     64
/* Fewer session ids than this leave "unguessable" inconclusive (skip, not warn). */
#define MCPWIRE_SESSION_ID_SAMPLE_MIN   16
/* Session openings (initialize, legacy GET) in flight at once, whole run. */
#define MCPWIRE_SESSION_OPENINGS_IN_FLIGHT 8
/* After that many openings started, the next waits this long after the burst's first. */
#define MCPWIRE_SESSION_BURST_GAP_MS    20
/* Slice of a wait for a session opening's turn. */
#define MCPWIRE_SESSION_PACER_POLL_MS   5
/* A hand-sent initialize waits at most this long for its turn, then goes. */
#define MCPWIRE_SESSION_PACER_WAIT_MAX_MS 5000
/* Wait for the answer to the DELETE that ends a session when its object is freed. */
#define MCPWIRE_SESSION_END_WAIT_MS     2000
/* Sessions one client sees opened by an initialize a case POSTs itself
 * (not through an shttp session), ended when the client is freed. */
#define MCPWIRE_CLIENT_SESSIONS_MAX     64
/* Under --quick a case whose watch is longer than this is left out
 * (verifier/watch.h). */
#define MCPWIRE_QUICK_WATCH_MAX_MS      500
/* Sessions at once, and calls in flight in each, for the isolation case. */
#define MCPWIRE_ISOLATION_SESSIONS      16
#define MCPWIRE_ISOLATION_CALLS         3
/* Envelope problems kept per case (engine/envelope.c checks every JSON-RPC
 * message the target sends); later ones are counted, not kept. */
#define MCPWIRE_ENVELOPE_PROBLEMS_MAX   16
/* Bytes of the offending message kept with each envelope problem, taken
 * around the place the problem was found. */
#define MCPWIRE_ENVELOPE_EXCERPT_MAX    400
/* Envelope problems the run-wide case lists in its transcript (all cases
 * together); the per-case lists in the JSON report keep theirs. */
#define MCPWIRE_ENVELOPE_LISTED_MAX     200
/* Odd-typed request ids (1.5, null) the harness sent in one case, kept so a
 * response echoing one is not held against the target. */
#define MCPWIRE_ENVELOPE_SENT_IDS_MAX   16
/* tools/list pages read while looking for a fixture tool (nextCursor
 * followed); a server whose cursors never end stops here. 64: mcpwire-mock
 * lists 37 tools on a stateless request, one a page under --tools-page-size 1. */
#define MCPWIRE_TOOLS_LIST_PAGES_MAX    64
/* A fixture tool's name (--fixture ROLE=TOOL), NUL included. */
#define MCPWIRE_FIXTURE_TOOL_MAX        128
/* A fixture's JSON argument template, NUL included. */
#define MCPWIRE_FIXTURE_ARGS_MAX        1024
/* The fixtures a case names in its `actual` ("fixture progress: ..."). */
#define MCPWIRE_FIXTURE_NOTE_MAX        512
/* Lines read from a --fixtures file. */
#define MCPWIRE_FIXTURE_FILE_LINES_MAX  64

/* ---- default deadlines (milliseconds) ---- */
#define MCPWIRE_CONNECT_TIMEOUT_MS      3000
/* One step of a case: one request until its response, one wait for an event. */
#define MCPWIRE_STEP_TIMEOUT_MS         5000
/* The least --timeout-ms takes (it ranges up to MCPWIRE_RUN_TIMEOUT_MS). */
#define MCPWIRE_STEP_TIMEOUT_MIN_MS     10
/* One whole case. */
#define MCPWIRE_CASE_TIMEOUT_MS         20000
/* The whole run. */
#define MCPWIRE_RUN_TIMEOUT_MS          600000
/* After a response on an SSE reply, how long the server has to end the body. */
#define MCPWIRE_STREAM_CLOSE_GRACE_MS   1000
/* After a request is answered, how long a case waits for a misrouted copy
 * (on another stream of the session) before judging routing. */
#define MCPWIRE_ROUTING_SETTLE_MS       300
/* Watch windows for something that must NOT arrive (quiet, routing settle,
 * pre-initialized) shrink to this many measured round trips of the target
 * (its initialize during the profile probe), never below the floor and
 * never above their own maximum: a server that answers in 1 ms and would
 * misbehave does so long before 100 ms. */
#define MCPWIRE_WINDOW_RTT_FACTOR       50
#define MCPWIRE_WINDOW_MIN_MS           100
/* How long a case watches a fresh GET stream for the server closing it. */
#define MCPWIRE_GET_WATCH_MS            1000
/* Longest `retry` the harness will honour before reconnecting. */
#define MCPWIRE_RETRY_WAIT_MAX_MS       5000
/* Resumptions (GET + Last-Event-ID) one awaited response may take when a
 * server polls (2025-11-25): each needs a new event id, so a loop is bounded. */
#define MCPWIRE_POLL_RESUMES_MAX        8
/* How long a case watches for messages that must never come (an answer to a
 * notification, a response after a cancel, progress after the response). */
#define MCPWIRE_QUIET_WINDOW_MS         300
/* How long LIFE-INIT-08 keeps a GET stream open before sending initialized. */
#define MCPWIRE_PRE_INITIALIZED_WATCH_MS 500
/* Longest error message JSONRPC-12 still calls short (the catalog says ~200). */
#define MCPWIRE_ERROR_MESSAGE_SHORT_MAX 200
/* One poll of a stream read alongside others (legacy routing, SSELEG-09). */
#define MCPWIRE_CASE_POLL_MS            20
/* How long a case lets the server notice a closed legacy stream (SSELEG-14). */
#define MCPWIRE_LEGACY_CLOSE_SETTLE_MS  200
/* How long SSEWIRE-24 watches an idle stream for a keep-alive comment: a
 * little over the usual 15 s interval. */
#define MCPWIRE_KEEPALIVE_WATCH_MS      16000

/* ---- mock server ---- */
/* Request body accepted by mcpwire-mock; larger gets 413. */
#define MCPWIRE_MOCK_BODY_MAX           (4u * 1024 * 1024)
/* Request header block accepted by mcpwire-mock. */
#define MCPWIRE_MOCK_HEADERS_MAX        (32u * 1024)
/* Live sessions; past this, initialize gets 503. */
#define MCPWIRE_MOCK_SESSIONS_MAX       20000
/* Open connections. */
#define MCPWIRE_MOCK_CONNECTIONS_MAX    12000
/* mcpwire-mock --also-port: ports one process listens on besides --port
 * (instances of one deployment that share their sessions). */
#define MCPWIRE_MOCK_EXTRA_PORTS_MAX    8
/* Events kept per stream for Last-Event-ID replay. */
#define MCPWIRE_MOCK_REPLAY_EVENTS_MAX  256
/* Bytes queued to one slow client before it is dropped. */
#define MCPWIRE_MOCK_CLIENT_QUEUE_MAX   (1u * 1024 * 1024)
/* A client that sends nothing for this long is disconnected (read timeout). */
#define MCPWIRE_MOCK_READ_TIMEOUT_S     30
/* Default idle session expiry (--session-ttl). */
#define MCPWIRE_MOCK_SESSION_TTL_S      600
/* Default heartbeat comment interval on idle streams (--heartbeat-ms). */
#define MCPWIRE_MOCK_HEARTBEAT_MS       15000
/* Finished POST streams a mock session keeps for replay; older ones go. */
#define MCPWIRE_MOCK_STREAMS_PER_SESSION_MAX 64
/* Calls in flight per mock session (slow tools, ask_client). */
#define MCPWIRE_MOCK_CALLS_PER_SESSION_MAX 64
/* `retry:` the mock sends on 2025-11-25 streams (--retry-ms). */
#define MCPWIRE_MOCK_RETRY_MS           1000
/* Delay between the progress steps of the mock's `slow` tool. */
#define MCPWIRE_MOCK_SLOW_STEP_MS       50
/* Length of the --bearer token. */
#define MCPWIRE_MOCK_BEARER_MAX         256
/* Most progress steps one `slow` call may ask for. */
#define MCPWIRE_MOCK_SLOW_STEPS_MAX     1000
/* Bytes per piece under --wire split. */
#define MCPWIRE_MOCK_SPLIT_CHUNK        5
/* Pause between those pieces, so a client reads them one by one. */
#define MCPWIRE_MOCK_SPLIT_PAUSE_MS     2
/* Pieces a burst is cut into at most (plus one per CR), so big messages
 * still arrive in a few milliseconds. */
#define MCPWIRE_MOCK_SPLIT_PIECES       16
/* The mock's `flood` tool: most notifications, and bytes in each. */
#define MCPWIRE_MOCK_FLOOD_COUNT_MAX    1000
#define MCPWIRE_MOCK_FLOOD_BYTES_MAX    (16u * 1024)
/* How long the mock waits for a client's answer to its own request
 * (--ask-timeout-ms); then it sends notifications/cancelled. */
#define MCPWIRE_MOCK_ASK_TIMEOUT_MS     30000
/* --stdio: how long the mock waits, once stdin has closed, for the client
 * to take what it still has to write on stdout; then it exits anyway. */
#define MCPWIRE_MOCK_STDIO_DRAIN_MS     2000
/* stdio-drops-long-lines drops stdin lines longer than this. */
#define MCPWIRE_MOCK_STDIO_SHORT_LINE   (64u * 1024)
/* One serialised SSE event of the mock (its data plus framing). */
#define MCPWIRE_MOCK_EVENT_MAX          (MCPWIRE_MOCK_BODY_MAX * 2)
/* 2026-07-28 (stateless) requests the mock serves at once, open
 * subscriptions/listen streams included; past it 503. */
#define MCPWIRE_MOCK_STATELESS_MAX      10000
/* Longest requestState the mock accepts back (MRTR); longer is -32602. */
#define MCPWIRE_MOCK_REQUEST_STATE_MAX  256
/* ttlMs the mock puts on its cacheable 2026-07-28 results. */
#define MCPWIRE_MOCK_CACHE_TTL_MS       60000

/* ---- benchmarks (bench/) ---- */
/* bench/mock_bench: most idle streams (sessions) it opens, most concurrent
 * clients, longest rps run, and how long it may spend opening streams. */
#define MCPWIRE_BENCH_STREAMS_MAX       20000
#define MCPWIRE_BENCH_CLIENTS_MAX       1024
#define MCPWIRE_BENCH_SECONDS_MAX       600
#define MCPWIRE_BENCH_SETUP_S           300

/* ---- fuzzing (fuzz/) ---- */
/* One corpus file read by the replay driver; larger files are skipped. */
#define MCPWIRE_FUZZ_INPUT_MAX          (4u * 1024 * 1024)
/* Event log of one fuzz input (the id repeats per event, so it can outgrow
 * the input); past this both sides stop logging and only compare so far. */
#define MCPWIRE_FUZZ_LOG_MAX            (16u * 1024 * 1024)
/* One line of the subprocess adapter protocol (hex input or JSON log line). */
#define MCPWIRE_FUZZ_PROTO_LINE_MAX     (8u * 1024 * 1024)
/* Inputs per subprocess differential run, and its wait for one answer. */
#define MCPWIRE_FUZZ_DIFF_INPUTS_MAX    200000
#define MCPWIRE_FUZZ_DIFF_REPLY_MS      10000

/* ---- reports ---- */
/* Expected, actual or reason text kept per case in a report; longer text is
 * cut with a marker (the transcript has its own cap above). */
#define MCPWIRE_REPORT_FIELD_MAX        (1u * 1024 * 1024)
/* Staging buffer of a report writer. It must hold one field after escaping
 * (at most 6 bytes out per byte in), and is flushed to the file past
 * MCPWIRE_REPORT_FLUSH_AT. */
#define MCPWIRE_REPORT_CHUNK_MAX        (16u * 1024 * 1024)
#define MCPWIRE_REPORT_FLUSH_AT         (64u * 1024)
/* Transcript bytes shown per case in the Markdown summary. */
#define MCPWIRE_REPORT_MD_SNIPPET_MAX   (2u * 1024)
/* The whole Markdown summary: GitHub refuses step summaries over 1 MiB, so
 * past this budget rows and snippets are left out with a note. */
#define MCPWIRE_REPORT_MD_MAX           (512u * 1024)
/* Characters of a reason on one console progress line. */
#define MCPWIRE_CONSOLE_REASON_MAX      160
/* Bytes of expected / actual / reason in the console summary; the JSON and
 * HTML reports keep the whole text. */
#define MCPWIRE_CONSOLE_FIELD_MAX       2048
/* Transcript bytes one report holds in all, counted as written (escaped);
 * once reached, each later transcript keeps only its first
 * MCPWIRE_REPORT_TRANSCRIPT_HEAD bytes, with a note of how many were left out. */
#define MCPWIRE_REPORT_TRANSCRIPTS_MAX  (16u * 1024 * 1024)
#define MCPWIRE_REPORT_TRANSCRIPT_HEAD  (4u * 1024)
/* One line saying why a report path is refused (the path is printed apart). */
#define MCPWIRE_REPORT_WHY_MAX          256

/* ---- fault proxy (harness/proxy) ---- */
/* One request or response head (start line, headers, blank line). */
#define MCPWIRE_PROXY_HEAD_MAX          (64u * 1024)
/* One chunk-size line of a chunked body, extensions included. */
#define MCPWIRE_PROXY_CHUNK_LINE_MAX    4096
/* The trailer section of one chunked body. */
#define MCPWIRE_PROXY_TRAILERS_MAX      (64u * 1024)
/* Requests sent on one connection whose responses have not begun (the
 * response framing must know which answered a HEAD). */
#define MCPWIRE_PROXY_PIPELINE_MAX      64
/* How long the proxy stops accepting after accept() fails (EMFILE). */
#define MCPWIRE_PROXY_ACCEPT_PAUSE_MS   100
/* One response held by `buffer` (and the largest N of `buffer=N`); past
 * this it stops being held and is forwarded as-is (an overflow). */
#define MCPWIRE_PROXY_HOLD_MAX          (16u * 1024 * 1024)
/* Its former name (tests/proxy use it). */
#define MCPWIRE_PROXY_BUFFER_MAX        MCPWIRE_PROXY_HOLD_MAX
/* Bytes one proxy holds over all its connections (held responses, queues
 * towards clients, origin input): a response that would pass it is
 * forwarded as-is, and a connection with bytes queued stops reading the
 * origin until its client catches up. Separate from the client's caps. */
#define MCPWIRE_PROXY_HOLD_TOTAL_MAX    (64u * 1024 * 1024)
/* Bytes queued towards one client (the latency / slice queue plus the
 * socket's output buffer) before the proxy stops reading the origin until
 * the client catches up. */
#define MCPWIRE_PROXY_QUEUE_MAX         (4u * 1024 * 1024)
/* Delayed pieces queued towards one client under `latency`. */
#define MCPWIRE_PROXY_PIECES_MAX        1024
/* Connections open through the proxy at once; more are refused. */
#define MCPWIRE_PROXY_CONNECTIONS_MAX   1024
/* strip-header / set-header rules, and the length of one name or value. */
#define MCPWIRE_PROXY_HEADER_RULES_MAX  16
/* Targets of a balancing proxy (balance=..., --target repeated). */
#define MCPWIRE_PROXY_TARGETS_MAX       8
#define MCPWIRE_PROXY_HEADER_TEXT_MAX   1024
/* Ceiling on every time a mode takes (latency, idle-cut, slice gap). */
#define MCPWIRE_PROXY_DELAY_MAX_MS      600000
/* Default pause between the writes of `slice`, so each is its own read. */
#define MCPWIRE_PROXY_SLICE_GAP_MS      2
/* Connecting to the target. */
#define MCPWIRE_PROXY_CONNECT_TIMEOUT_MS MCPWIRE_CONNECT_TIMEOUT_MS

/* Output of `mcpwire list` (JSON and coverage tables). */
#define MCPWIRE_LIST_OUT_MAX            (16u * 1024 * 1024)

/* ---- proxy and reconnect scenarios (cases/proxy_*.c, http_reconnect.c, modern_proxy.c) ---- */
/* Longest an idle stream is watched for a keep-alive (also capped by the case deadline). */
#define MCPWIRE_HEARTBEAT_WATCH_MS      20000
/* A watch shorter than this that saw no keep-alive skips rather than warns. */
#define MCPWIRE_HEARTBEAT_MIN_WATCH_MS  10000
/* A keep-alive rarer than this warns: common proxies cut idle streams at 60 s. */
#define MCPWIRE_HEARTBEAT_WARN_MS       30000
/* A POST stream still open this long after its response warns (buffering proxies hold it). */
#define MCPWIRE_POST_CLOSE_PROMPT_MS    1000
/* Cut offsets tried by http/reconnect/every-offset. */
#define MCPWIRE_RECONNECT_OFFSETS_MAX   200
/* Bytes of one recorded exchange kept to find its event boundaries. */
#define MCPWIRE_RECONNECT_RECORD_MAX    (256u * 1024)
/* Cut offsets tried at once in each session (each its own proxy, POST and
 * resume GET), and the sessions the sweep spreads them over. */
#define MCPWIRE_RECONNECT_PARALLEL      24
#define MCPWIRE_RECONNECT_SESSIONS      2
/* Cuts right after an event (the proxy's cut-events), one per event of the uncut call. */
#define MCPWIRE_RECONNECT_EVENT_CUTS_MAX 32
/* modern/proxy (2026-07-28): a call's first progress must come at least
 * this long before its response to count as delivered while the call ran
 * (a buffer releases them in one read, about 0 ms apart). */
#define MCPWIRE_PROGRESS_AHEAD_MIN_MS   20
/* The idle-cut of the proxy in front of a listen stream (a load balancer's
 * idle timer, shortened); the case waits up to 4 times this for the cut. */
#define MCPWIRE_PROXY_IDLE_CUT_PROBE_MS 300

/* ---- client testing (harness/stage, scenarios/, mcpwire client) ---- */
/* Head of one request the stage reads from the client under test. */
#define MCPWIRE_STAGE_HEAD_MAX          (64u * 1024)
/* Body bytes of one request kept in the transcript (the rest counted). */
#define MCPWIRE_STAGE_BODY_MAX          (1u * 1024 * 1024)
/* Requests recorded per scenario; later ones are counted, not kept. */
#define MCPWIRE_STAGE_REQUESTS_MAX      256
/* Requests the stage serves per scenario; past it a connection that sends
 * one more is closed (what each answer queues stays bounded). */
#define MCPWIRE_STAGE_SERVED_MAX        4096
/* Connections open at once on the stage; more are closed at accept. */
#define MCPWIRE_STAGE_CONNS_MAX         64
/* Bytes a "split at every byte" shape writes one by one (the rest at once),
 * and the pause between two of them. */
#define MCPWIRE_STAGE_SPLIT_MAX         4096
#define MCPWIRE_STAGE_SPLIT_PAUSE_MS    1
/* Hostile bodies are generated as the client reads: a slice is added when
 * the output buffer falls under this. */
#define MCPWIRE_STAGE_GEN_SLICE         (64u * 1024)
/* The 100 MB line of client/hostile/huge-line. */
#define MCPWIRE_STAGE_HUGE_LINE_BYTES   (100u * 1024 * 1024)
/* Pause between two slices of the endless stream (about 6 MB/s). */
#define MCPWIRE_STAGE_ENDLESS_PAUSE_MS  10
/* Server notes per scenario transcript (cuts, holds, generated bytes). */
#define MCPWIRE_STAGE_NOTES_MAX         (64u * 1024)
/* A reconnect sooner than `retry` by more than this fails (the official
 * suite allows 50 ms of timer slack). */
#define MCPWIRE_STAGE_RETRY_SLACK_MS    50
/* Default deadline of one scenario (--timeout-ms), from the client's start. */
#define MCPWIRE_CLIENT_SCENARIO_TIMEOUT_MS 15000
/* After the deadline: SIGTERM to the client's group, and this long until SIGKILL. */
#define MCPWIRE_CLIENT_TERM_WAIT_MS     1000
/* How often the client's memory (VmHWM, VmRSS of its process group) is read. */
#define MCPWIRE_CLIENT_MEMORY_SAMPLE_MS 50
/* Memory samples kept per scenario (older ones thinned). */
#define MCPWIRE_CLIENT_MEMORY_SAMPLES_MAX 4096
/* Peak resident memory growth during a hostile body past which the
 * client is reported as growing with the stream (warn). */
#define MCPWIRE_CLIENT_GROWTH_WARN_BYTES (64u * 1024 * 1024)
/* The client's stdout and stderr kept per scenario (the last bytes). */
#define MCPWIRE_CLIENT_OUTPUT_MAX       (16u * 1024)
/* --command length, and the scenario id globs of one run. */
#define MCPWIRE_CLIENT_COMMAND_MAX      4096
#define MCPWIRE_CLIENT_SCENARIOS_MAX    256

#endif
