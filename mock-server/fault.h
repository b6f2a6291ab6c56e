/*
 * fault.h: the named faults of mcpwire-mock and the valid wire variants.
 *
 * One X-macro line per fault: enum name, --fault name, the catalog ids it
 * breaks, and what it does on the wire. The table in fault.c, --list-faults,
 * docs/MOCK.md and tests/mock/mock_faults_test.c all follow this list.
 */
#ifndef MOCK_FAULT_H
#define MOCK_FAULT_H

#define MOCK_FAULTS(X)                                                                  \
  /* legacy HTTP+SSE */                                                                 \
  X(NO_ENDPOINT_EVENT, "no-endpoint-event", "SSELEG-02",                                \
    "GET /sse never sends the endpoint event")                                          \
  X(ENDPOINT_NOT_FIRST, "endpoint-not-first", "SSELEG-03",                              \
    "a message event (a ping request) precedes the endpoint event")                     \
  X(ENDPOINT_WRONG_PATH, "endpoint-wrong-path", "SSELEG-01",                            \
    "the endpoint event names a path that answers 404")                                 \
  X(LEGACY_WRONG_EVENT_TYPE, "legacy-wrong-event-type", "SSELEG-06",                    \
    "responses on the legacy stream use event: response instead of message")            \
  X(POST_BODY_JSON_ON_LEGACY, "post-body-json-on-legacy", "SSELEG-07",                  \
    "the legacy POST answers 200 with the JSON-RPC response in its body")               \
  X(LEGACY_CROSS_ROUTING, "legacy-cross-routing", "SSELEG-09",                          \
    "responses but initialize's go to the newest legacy SSE stream, not the poster's")  \
  X(LEGACY_ACCEPT_UNKNOWN_SESSION, "legacy-accept-unknown-session", "SSELEG-14,SSELEG-15", \
    "a legacy POST with an unknown sessionId gets 202")                                 \
  X(ENDPOINT_CROSS_ORIGIN, "endpoint-cross-origin", "SSELEG-05",                        \
    "the endpoint event names an absolute URI on another origin (localhost vs 127.0.0.1)") \
  X(LEGACY_LENIENT_POST, "legacy-lenient-post", "SSELEG-16",                            \
    "a legacy POST is read whatever its Content-Type; unparseable JSON gets 202")       \
  X(LEGACY_REJECT_ENDS_SESSION, "legacy-reject-ends-session", "SSELEG-16",              \
    "a legacy POST refused with 400 also ends its session (the SSE stream closes)")     \
  /* Streamable HTTP: endpoint, POST, GET */                                            \
  X(GET_404, "get-404", "SHTTP-EP-01,SHTTP-GET-03",                                     \
    "GET on the MCP endpoint answers 404")                                              \
  X(NO_ACCEPT_CHECK, "no-accept-check", "SHTTP-POST-02,SHTTP-GET-02",                 \
    "POST and GET are served whatever Accept says (no 406)")                            \
  X(NO_CONTENT_TYPE_CHECK, "no-content-type-check", "SHTTP-POST-18",                    \
    "a POST body is served whatever Content-Type says (no 415)")                        \
  X(CANCEL_ON_DISCONNECT, "cancel-on-disconnect", "SHTTP-POST-14",                      \
    "a dropped POST stream cancels its calls (nothing left to resume)")                 \
  X(NOTIFICATION_NOT_202, "notification-not-202", "SHTTP-POST-05,S26-ERR-10",           \
    "an accepted notification or response gets 200 with a body instead of 202 (stateless too)") \
  X(ACCEPT_INVALID_NOTIFICATION, "accept-invalid-notification", "SHTTP-POST-06,JSONRPC-02,S26-ERR-10", \
    "a notification with jsonrpc 1.0 is accepted with 202 (stateless too)")             \
  X(WRONG_CONTENT_TYPE, "wrong-content-type", "SHTTP-POST-07,S26-POST-05",              \
    "a request's reply is served as text/plain (stateless too)")                        \
  X(JSON_REPLY_WRONG_ID, "json-reply-wrong-id", "SHTTP-POST-09,JSONRPC-08",             \
    "replies are application/json and carry a different id")                            \
  X(CLOSE_BEFORE_RESPONSE, "close-before-response", "SHTTP-POST-10,SHTTP-POST-12",      \
    "a POST SSE stream ends without the response (no id, no retry); initialize spared") \
  X(KEEP_POST_STREAM_OPEN, "keep-post-stream-open", "SHTTP-POST-13",                    \
    "a POST SSE stream stays open after the response")                                  \
  X(PROGRESS_ON_GET_STREAM, "progress-on-get-stream", "SHTTP-GET-06,SHTTP-POST-11",     \
    "a call's progress notifications and requests to the client go on the GET stream") \
  X(LIST_CHANGED_ON_POST, "list-changed-on-post", "SHTTP-GET-06",                      \
    "trigger_list_changed sends its notification on its own POST stream, not GET")    \
  X(RESPONSE_ON_GET_STREAM, "response-on-get-stream", "SHTTP-GET-07,SHTTP-POST-10",     \
    "responses go on the open GET stream; the POST stream ends empty")                  \
  X(GET_WRONG_CONTENT_TYPE, "get-wrong-content-type", "SHTTP-GET-03",                   \
    "GET answers 200 application/json")                                                 \
  X(SECOND_GET_400, "second-get-400", "SHTTP-GET-10",                                  \
    "a second GET stream of a session gets 400 instead of 409")                         \
  X(BROADCAST_TO_ALL_STREAMS, "broadcast-to-all-streams", "SHTTP-MULTI-02",             \
    "server notifications are copied to every open stream of the session")              \
  /* resumability and polling */                                                        \
  X(DUPLICATE_EVENT_IDS, "duplicate-event-ids", "SHTTP-RESUME-02",                      \
    "event ids restart at 1 on every stream (no stream number)")                        \
  X(NO_EVENT_IDS, "no-event-ids", "SHTTP-RESUME-01,SHTTP-POLL-01",                      \
    "events carry no id field")                                                         \
  X(DROP_REPLAY, "drop-replay", "SHTTP-RESUME-03,SHTTP-RESUME-05",                      \
    "GET with Last-Event-ID continues the stream but replays nothing")                  \
  X(REPLAY_OTHER_STREAM, "replay-other-stream", "SHTTP-RESUME-06",                      \
    "replay also sends later events of the session's other streams")                    \
  X(NO_PRIMING_EVENT, "no-priming-event", "SHTTP-POLL-01",                              \
    "2025-11-25 SSE streams start without the priming event")                           \
  X(NO_RETRY_BEFORE_CLOSE, "no-retry-before-close", "SHTTP-POLL-04,SHTTP-GET-09",       \
    "2025-11-25 POST and GET streams close after priming (POST: before the response), with no retry") \
  X(NO_HEARTBEAT, "no-heartbeat", "SSEWIRE-24",                                         \
    "idle streams get no keep-alive comments")                                          \
  X(NO_ACCEL_BUFFERING_HEADER, "no-accel-buffering-header", "SSEWIRE-24",               \
    "SSE responses carry no X-Accel-Buffering: no (nginx buffers them)")                \
  /* sessions */                                                                        \
  X(SESSION_ID_NONVISIBLE, "session-id-nonvisible", "SHTTP-SESSION-03",                 \
    "the session id contains a space (0x20)")                                           \
  X(SEQUENTIAL_SESSION_IDS, "sequential-session-ids", "SHTTP-SESSION-02,SHTTP-SESSION-14", \
    "session ids are a counter, not random")                                            \
  X(NO_SESSION_REQUIRED, "no-session-required", "SHTTP-SESSION-06",                     \
    "requests without Mcp-Session-Id are served (as the newest session)")               \
  X(NO_404_AFTER_DELETE, "no-404-after-delete", "SHTTP-SESSION-08",                     \
    "DELETE answers 200 but the session keeps working")                                 \
  X(UNKNOWN_SESSION_400, "unknown-session-400", "SHTTP-SESSION-08",                     \
    "an unknown session id gets 400 instead of 404")                                    \
  X(SESSION_REQUIRED_ON_INITIALIZE, "session-required-on-initialize", "SHTTP-SESSION-13", \
    "initialize without Mcp-Session-Id gets 400")                                       \
  X(SESSION_HEADER_CASE_SENSITIVE, "session-header-case-sensitive", "SHTTP-SESSION-17", \
    "the session header is found only when spelled Mcp-Session-Id exactly")             \
  X(SESSION_BOUND_TO_CONNECTION, "session-bound-to-connection",                       \
    "SHTTP-SESSION-05,SHTTP-POST-14",                                                   \
    "a Streamable HTTP session answers only on the TCP connection its initialize came "  \
    "on, while it is that connection's newest session; elsewhere 404")                  \
  X(INSTANCE_LOCAL_SESSIONS, "instance-local-sessions", "SHTTP-SESSION-01,SSELEG-09",    \
    "each listening port (--also-port) keeps its own sessions, as unshared instances "   \
    "behind a balancer do: a session named on another port gets 404")                   \
  X(SESSION_ID_COLLISIONS, "session-id-collisions", "SHTTP-SESSION-02,SHTTP-SESSION-14", \
    "session ids hold 4 random bits, so concurrent sessions share ids")                 \
  X(CROSS_SESSION_CALLS, "cross-session-calls", "SHTTP-MULTI-02",                       \
    "one call table for all sessions: a call trades streams with a same-id call elsewhere") \
  X(INIT_VERSION_MISMATCH_400, "init-version-mismatch-400", "SHTTP-VERSION-05",         \
    "initialize whose MCP-Protocol-Version differs from its body's revision gets 400") \
  /* protocol version header */                                                         \
  X(REQUIRE_VERSION_HEADER, "require-version-header", "SHTTP-VERSION-03,SHTTP-VERSION-05", \
    "every POST without MCP-Protocol-Version gets 400, initialize too")                 \
  X(ACCEPT_BAD_VERSION_HEADER, "accept-bad-version-header", "SHTTP-VERSION-04",         \
    "an invalid or unsupported MCP-Protocol-Version is accepted")                       \
  /* security */                                                                        \
  X(NO_ORIGIN_CHECK, "no-origin-check", "SHTTP-SEC-01,SHTTP-SEC-02,SSELEG-10",          \
    "any Origin is accepted")                                                           \
  X(ORIGIN_WRONG_STATUS, "origin-wrong-status", "SHTTP-SEC-02",                         \
    "a foreign Origin gets 400 instead of 403")                                         \
  X(ORIGIN_REQUIRED, "origin-required", "SHTTP-SEC-03",                                 \
    "a request without Origin gets 403")                                                \
  X(NO_HOST_CHECK, "no-host-check", "SHTTP-SEC-06",                                     \
    "any Host header is accepted")                                                      \
  /* authorization (with --bearer; without it these change nothing) */                 \
  X(AUTH_NO_CHALLENGE, "auth-no-challenge", "SHTTP-AUTH-06,SHTTP-AUTH-08",              \
    "401 answers carry no WWW-Authenticate challenge")                                  \
  X(AUTH_ANY_TOKEN, "auth-any-token", "SHTTP-AUTH-05,SHTTP-AUTH-07",                    \
    "any bearer token is accepted, not only the one given with --bearer")               \
  X(AUTH_SESSION_IS_CREDENTIAL, "auth-session-is-credential", "SHTTP-SESSION-16",       \
    "a request naming a live Mcp-Session-Id is served without credentials")             \
  /* lifecycle */                                                                       \
  X(SERVE_BEFORE_INITIALIZE, "serve-before-initialize", "LIFE-INIT-02,LIFE-INIT-09",   \
    "requests without a session are served without any initialize")                    \
  X(ASK_UNDECLARED_CAPABILITY, "ask-undeclared-capability", "LIFE-OP-01",               \
    "ask_client, test_sampling and test_elicitation ask a client that declared no such capability")    \
  X(LATE_CANCEL_BREAKS_SESSION, "late-cancel-breaks-session", "LIFE-CANCEL-06",         \
    "a cancel for an already finished request ends the session")                        \
  X(INIT_MISSING_SERVER_INFO, "init-missing-server-info", "LIFE-INIT-04",               \
    "the InitializeResult has no serverInfo")                                           \
  X(INIT_WITHOUT_VERSION_ACCEPTED, "initialize-without-version-accepted", "JSONRPC-19",  \
    "initialize without params.protocolVersion succeeds (as the newest revision)")      \
  X(REQUEST_BEFORE_INITIALIZED, "request-before-initialized", "LIFE-INIT-08",           \
    "a roots/list request is sent on the GET stream before notifications/initialized")  \
  X(IGNORE_REQUESTED_VERSION, "ignore-requested-version", "LIFE-VER-02",                \
    "initialize always answers the newest version, even for a supported older one")     \
  X(ECHO_UNSUPPORTED_VERSION, "echo-unsupported-version", "LIFE-VER-03",                \
    "initialize echoes any requested version, supported or not")                        \
  X(PING_RESULT_NOT_EMPTY, "ping-result-not-empty", "LIFE-PING-01",                     \
    "ping answers {\"pong\":true} instead of {}")                                       \
  X(PING_BEFORE_INIT_REJECTED, "ping-before-init-rejected", "LIFE-PING-05",             \
    "ping before notifications/initialized gets a JSON-RPC error")                      \
  X(RESPOND_AFTER_CANCEL, "respond-after-cancel", "LIFE-CANCEL-03",                     \
    "a cancelled slow call still sends its response")                                   \
  X(REJECT_INVALID_CANCEL, "reject-invalid-cancel", "LIFE-CANCEL-04,LIFE-CANCEL-08",    \
    "a cancel for an unknown request gets 400 with a JSON-RPC error")                   \
  X(PROGRESS_NOT_INCREASING, "progress-not-increasing", "LIFE-PROGRESS-02",             \
    "progress values repeat instead of increasing")                                     \
  X(PROGRESS_AFTER_RESPONSE, "progress-after-response", "LIFE-PROGRESS-03",             \
    "one more progress notification follows the response")                              \
  X(PROGRESS_WRONG_TOKEN, "progress-wrong-token", "LIFE-PROGRESS-03",                   \
    "progress notifications carry a token the client never sent")                       \
  X(SECOND_INITIALIZE_DROPPED, "second-initialize-dropped", "SHTTP-POST-07,LIFE-INIT-02", \
    "an initialize naming a live Mcp-Session-Id gets 202 and never a response")         \
  /* JSON-RPC envelope */                                                               \
  X(ACCEPT_JSONRPC_1_0, "accept-jsonrpc-1.0", "JSONRPC-02",                             \
    "a request with jsonrpc 1.0 is served")                                             \
  X(HUGE_ID_DROPPED, "huge-id-dropped", "JSONRPC-04,SHTTP-POST-07",                     \
    "a request whose integer id is past 2^64-1 gets 202 and never a response")          \
  X(REUSE_SERVER_REQUEST_IDS, "reuse-server-request-ids", "JSONRPC-06",               \
    "every server->client request of a session has the id \"srv-1\"")                  \
  X(REJECT_UNKNOWN_META, "reject-unknown-meta", "JSONRPC-22,S26-META-15",               \
    "a request whose _meta has keys other than progressToken (and, stateless, io.modelcontextprotocol/*) gets -32602") \
  X(MANGLE_UTF8, "mangle-utf8", "JSONRPC-03",                                           \
    "echo replaces every non-ASCII byte with '?'")                                      \
  X(ACCEPT_FRACTIONAL_ID, "accept-fractional-id", "JSONRPC-04",                         \
    "a request with id 1.5 is served")                                                  \
  X(ACCEPT_NULL_ID, "accept-null-id", "JSONRPC-05",                                     \
    "a request with id null is served")                                                 \
  X(ACCEPT_ARRAY_PARAMS, "accept-array-params", "JSONRPC-07",                           \
    "a request with array params is served")                                            \
  X(ID_AS_NUMBER, "id-as-number", "JSONRPC-08",                                         \
    "a string id made of digits is echoed as a number")                                 \
  X(ID_AS_STRING, "id-as-string", "JSONRPC-08",                                         \
    "a number id is echoed as a string")                                                \
  X(RESULT_AND_ERROR, "result-and-error", "JSONRPC-09",                                 \
    "error responses also carry result")                                                \
  X(RESULT_NOT_OBJECT, "result-not-object", "JSONRPC-10",                               \
    "ping answers with result []")                                                      \
  X(ERROR_CODE_STRING, "error-code-string", "JSONRPC-11",                               \
    "error codes are written as strings")                                               \
  X(ERROR_MESSAGE_MULTILINE, "error-message-multiline", "JSONRPC-12",                   \
    "error messages span several lines")                                                \
  X(NOTIFICATION_WITH_ID, "notification-with-id", "JSONRPC-13",                         \
    "server notifications carry an id")                                                 \
  X(ANSWER_NOTIFICATION, "answer-notification", "JSONRPC-14",                           \
    "an unknown notification gets a -32601 error response")                             \
  X(PARSE_ERROR_WITH_ID, "parse-error-with-id", "JSONRPC-15",                           \
    "the -32700 parse error carries id 0")                                              \
  X(PARSE_ERROR_WRONG_CODE, "parse-error-wrong-code", "JSONRPC-16,SHTTP-POST-19",       \
    "unparseable JSON gets -32600 instead of -32700")                                   \
  X(INVALID_REQUEST_WRONG_CODE, "invalid-request-wrong-code", "JSONRPC-17",             \
    "a request without a string method gets -32601, not -32600")                        \
  X(UNKNOWN_METHOD_RESULT, "unknown-method-result", "JSONRPC-18",                       \
    "an unknown method gets an empty result")                                           \
  X(UNKNOWN_TOOL_RESULT, "unknown-tool-result", "JSONRPC-19",                           \
    "an unknown tool gets an isError result instead of -32602")                         \
  X(REJECT_BATCH, "reject-batch", "JSONRPC-BATCH-01,SHTTP-POST-04",                                   \
    "2025-03-26 batches get 400")                                                       \
  X(BATCH_NOTIFICATIONS_NOT_202, "batch-notifications-not-202", "JSONRPC-BATCH-02",     \
    "a 2025-03-26 batch of notifications gets 200 with []")                             \
  X(EMPTY_BATCH_ACCEPTED, "empty-batch-accepted", "JSONRPC-BATCH-03",                   \
    "an empty batch [] or [1] gets 202")                                                \
  X(ACCEPT_BATCH_AFTER_2503, "accept-batch-after-2503", "JSONRPC-BATCH-05,SHTTP-POST-03,S26-RPC-05", \
    "batches are served after 2025-03-26 too (a stateless batch of one: as its request)") \
  /* SSE wire */                                                                        \
  X(UNTERMINATED_FINAL_EVENT, "unterminated-final-event", "SSEWIRE-20",                 \
    "the last event of a POST stream has no blank line before the close; initialize spared") \
  X(EVENT_ID_WITH_NUL, "event-id-with-nul", "SSEWIRE-13",                               \
    "every event starts with an extra id field holding a NUL byte")                     \
  X(DATA_STRAY_CR, "data-stray-cr", "SSEWIRE-26",                                       \
    "an empty result (as ping's) has a raw CR after the first { of its data line")       \
  X(NO_CACHE_CONTROL, "no-cache-control", "SSEWIRE-25",                                 \
    "SSE responses carry no Cache-Control header")                                      \
  /* 2026-07-28, stateless (--eras dual or modern) */                                   \
  X(S26_NO_DISCOVER, "s26-no-discover", "S26-DISC-01",                                  \
    "server/discover gets 404 with -32601, as an unknown method")                       \
  X(S26_NO_META_CHECK, "s26-no-meta-check", "S26-META-05",                              \
    "a request without _meta, protocolVersion or clientCapabilities is served")         \
  X(S26_NO_HEADER_CHECK, "s26-no-header-check", "S26-HDR-03,S26-HDR-05,S26-HDR-09",     \
    "missing or mismatching MCP-Protocol-Version, Mcp-Method and Mcp-Name are accepted") \
  X(S26_HEADER_ERROR_CODE, "s26-header-error-code", "S26-HDR-10",                       \
    "a header rejection is 400 with -32600 instead of -32020")                          \
  X(S26_LENIENT_BASE64, "s26-lenient-base64", "S26-B64-06",                             \
    "a mirrored header with malformed Base64 inside the markers is accepted")           \
  X(S26_NO_BASE64_DECODE, "s26-no-base64-decode", "S26-B64-05",                         \
    "Mcp-Name and Mcp-Param-* values in the =?base64?...?= form are compared undecoded") \
  X(S26_BASE64_MARKERS_ANY_CASE, "s26-base64-markers-any-case", "S26-B64-03",           \
    "=?BASE64?...?= (markers in any case) is decoded as the sentinel form")             \
  X(S26_BASE64_PARTIAL_MARKER, "s26-base64-partial-marker", "S26-B64-07",               \
    "a value with only one of the two markers is decoded as Base64 anyway")             \
  X(S26_PARAM_DEMANDED_WHEN_ABSENT, "s26-param-demanded-when-absent", "S26-PARAM-10",   \
    "an x-mcp-header argument left out still needs its Mcp-Param-* header (else -32020)") \
  X(S26_PARAM_UNCHECKED, "s26-param-unchecked", "S26-PARAM-08,S26-PARAM-09",            \
    "Mcp-Param-* headers are not checked against the arguments")                        \
  X(S26_ANY_VERSION, "s26-any-version", "S26-HDR-04,S26-COMPAT-01",                     \
    "an unsupported protocolVersion (same in header and _meta) is served")              \
  X(S26_VERSION_ERROR_SHAPE, "s26-version-error-shape", "S26-ERR-09,S26-DISC-07",       \
    "-32022 carries no data.supported")                                                 \
  X(S26_META_ERROR_200, "s26-meta-error-200", "S26-META-05,S26-ERR-07",                 \
    "a request missing a _meta field gets -32602 with HTTP 200 instead of 400")         \
  X(S26_UNKNOWN_METHOD_200, "s26-unknown-method-200", "S26-ERR-08",                     \
    "an unknown or removed method gets -32601 with HTTP 200 instead of 404")            \
  X(S26_REMOVED_METHODS_SERVED, "s26-removed-methods-served", "S26-ERR-08,S26-LEGACY-06", \
    "ping, logging/setLevel and resources/(un)subscribe are served as in 2025-11-25")  \
  X(S26_NO_RESULT_TYPE, "s26-no-result-type", "S26-META-16",                            \
    "complete results carry no resultType")                                             \
  X(S26_NO_SERVER_INFO, "s26-no-server-info", "S26-META-09,S26-DISC-04",                \
    "results carry no _meta io.modelcontextprotocol/serverInfo")                        \
  X(S26_NO_CACHE_HINTS, "s26-no-cache-hints", "S26-DISC-03",                            \
    "discover and list results carry no ttlMs and cacheScope")                          \
  X(S26_CAPABILITY_UNCHECKED, "s26-capability-unchecked", "S26-META-08,S26-MRTR-04",    \
    "a tool needing an undeclared client capability runs (and asks for it) instead of -32021") \
  X(S26_SERVER_REQUEST_ON_STREAM, "s26-server-request-on-stream", "S26-SSE-02,S26-MRTR-01", \
    "an input-required tool also sends its request as a JSON-RPC request on the stream") \
  X(S26_MRTR_STATE_UNCHECKED, "s26-mrtr-state-unchecked", "S26-MRTR-07",                \
    "a tampered requestState is accepted")                                              \
  X(S26_NO_CANCEL_ON_CLOSE, "s26-no-cancel-on-close", "S26-CANCEL-01",                  \
    "a call whose response stream the client closed runs on")                           \
  X(S26_REISSUE_REFUSED, "s26-reissue-refused", "S26-CANCEL-05,S26-CANCEL-01",         \
    "after a call's stream is cut, the next tools/call (a re-issue under a new id) gets -32603 'already running'") \
  X(S26_EVENTS_HELD, "s26-events-held", "S26-SSE-01,S26-SSE-04",                         \
    "a stateless call's notifications are held and written with its response, as a buffer would") \
  X(S26_LOG_WITHOUT_LEVEL, "s26-log-without-level", "S26-META-14",                      \
    "logging tools send notifications/message without _meta logLevel")                  \
  X(S26_LISTEN_NO_ACK, "s26-listen-no-ack", "S26-LISTEN-02",                            \
    "subscriptions/listen sends no notifications/subscriptions/acknowledged")           \
  X(S26_LISTEN_UNTAGGED, "s26-listen-untagged", "S26-LISTEN-04",                        \
    "listen-stream notifications carry no _meta subscriptionId")                        \
  X(S26_LISTEN_IGNORES_FILTER, "s26-listen-ignores-filter", "S26-LISTEN-05",            \
    "every listen stream gets every list_changed, whatever its filter")                 \
  X(S26_PROGRESS_ON_LISTEN, "s26-progress-on-listen", "S26-LISTEN-06",                  \
    "a stateless call's progress notifications also go to every listen stream")         \
  X(S26_GET_200, "s26-get-200", "S26-LEGACY-01",                                        \
    "implies --eras modern; GET /mcp answers 200 with an empty event stream, not 405")     \
  X(S26_DELETE_200, "s26-delete-200", "S26-LEGACY-02",                                  \
    "implies --eras modern; DELETE /mcp answers 200, not 405")                             \
  X(S26_SESSION_HEADER_HONOURED, "s26-session-header-honoured", "S26-LEGACY-03",        \
    "a stateless request naming an unknown Mcp-Session-Id gets 404")                    \
  X(S26_LAST_EVENT_ID_HONOURED, "s26-last-event-id-honoured", "S26-LEGACY-04",          \
    "a stateless POST with Last-Event-ID gets 400 (as an unknown event id to resume)")  \
  X(S26_INITIALIZE_ACCEPTED, "s26-initialize-accepted-modern-only", "S26-COMPAT-12,S26-COMPAT-13", \
    "implies --eras modern; a 2025-style initialize opens a session instead of 400 -32022") \
  X(S26_ORIGIN_UNCHECKED, "s26-origin-unchecked", "S26-SEC-01",                         \
    "a stateless request with a foreign Origin is served")                              \
  X(S26_HANDSHAKE_REQUIRED, "s26-handshake-required", "S26-META-01",                    \
    "a stateless request other than server/discover gets 400 -32600 (initialize first)") \
  X(S26_CLIENT_INFO_REQUIRED, "s26-client-info-required", "S26-META-06",                \
    "a stateless request whose _meta has no clientInfo gets 400 -32602")                \
  X(S26_DECLARED_LIST_MISSING, "s26-declared-list-missing", "S26-DISC-06",              \
    "discover declares prompts but prompts/list gets 404 -32601")                       \
  X(S26_RESOURCE_NOT_FOUND_32002, "s26-resource-not-found-32002", "S26-ERR-03",         \
    "resources/read of an unknown URI gets -32002 (retired) instead of -32602")         \
  X(S26_UNDEFINED_ERROR_CODE, "s26-undefined-error-code", "S26-ERR-01",                 \
    "tools/call of an unknown tool gets -32030, a reserved code the spec never defined") \
  X(S26_CAPABILITIES_REMEMBERED, "s26-capabilities-remembered", "S26-META-07",          \
    "a client capability one stateless request declared counts for every later request") \
  X(S26_LIST_VARIES, "s26-list-varies", "S26-META-13",                                  \
    "every second stateless tools/list leaves out the last tool")                       \
  X(S26_ACK_ECHOES_FILTER, "s26-ack-echoes-filter", "S26-LISTEN-03",                    \
    "the listen ack names every requested type, resourceSubscriptions too (not honoured)") \
  X(S26_LISTEN_SILENT, "s26-listen-silent", "S26-LISTEN-07",                            \
    "listen streams never get a list_changed notification")                           \
  X(S26_INTEGER_COMPARED_AS_TEXT, "s26-integer-compared-as-text", "S26-HDR-12",         \
    "an Mcp-Param-* value with a fraction (42.0 for a body 42) gets 400 -32020")       \
  X(S26_CANCELLED_ON_CALL_STREAM, "s26-cancelled-on-call-stream", "S26-CANCEL-06",      \
    "a stateless request's event stream starts with notifications/cancelled for its own id") \
  X(S26_MISSING_INPUT_ERROR, "s26-missing-input-error", "S26-MRTR-08",                  \
    "an MRTR retry with its requestState but without the inputs asked for gets -32602") \
  /* stdio (--stdio) */                                                                 \
  X(STDIO_LOG_ON_STDOUT, "stdio-log-on-stdout", "STDIO-07,S26-STDIO-03",                \
    "a log line (not JSON-RPC) is written to stdout at startup")                        \
  X(STDIO_PRETTY_PRINTED, "stdio-pretty-printed", "STDIO-04,S26-STDIO-01",              \
    "each message is written over three lines (its braces on lines of their own)")      \
  X(STDIO_PARTIAL_LAST_LINE, "stdio-partial-last-line", "STDIO-04,S26-STDIO-01",        \
    "a message's newline is written only before the next one: the last line has none")  \
  X(STDIO_IGNORES_EOF, "stdio-ignores-eof", "STDIO-09",                                 \
    "the server keeps running after stdin closes (until a signal)")                     \
  X(STDIO_WRITES_AFTER_EOF, "stdio-writes-after-eof", "STDIO-09",                       \
    "once stdin closes, a notifications/message is written to stdout before exiting")   \
  X(STDIO_DROPS_LONG_LINES, "stdio-drops-long-lines", "STDIO-04,JSONRPC-01",            \
    "a stdin line over MCPWIRE_MOCK_STDIO_SHORT_LINE bytes is dropped: no answer")      \
  X(STDIO_BINDS_FIRST_CLIENT, "stdio-binds-first-client", "S26-STDIO-14",               \
    "--stdio --eras modern: a request from another clientInfo than the first is refused")

enum mock_fault {
#define MOCK_FAULT_ENUM(e, name, reqs, desc) FAULT_##e,
  MOCK_FAULTS(MOCK_FAULT_ENUM)
#undef MOCK_FAULT_ENUM
  FAULT_COUNT
};

/* Valid but unusual SSE framing that every client must accept (and, named
 * stdio-*, stdio framing a robust client accepts). */
#define MOCK_WIRES(X)                                                      \
  X(CRLF, "crlf", "lines end with CRLF")                                   \
  X(CR, "cr", "lines end with a lone CR")                                  \
  X(NOSPACE, "nospace", "no space after the field colon (data:x)")         \
  X(COMMENTS, "comments", "comment lines between the fields")              \
  X(BOM, "bom", "the stream starts with a UTF-8 BOM")                      \
  X(SPLIT, "split", "events written in small chunks, CR and LF apart")     \
  X(MULTILINE, "multiline", "JSON split over several data lines")          \
  X(STDIO_CRLF, "stdio-crlf", "--stdio: stdout lines end with CRLF (STDIO-12)")

enum mock_wire {
#define MOCK_WIRE_ENUM(e, name, desc) WIRE_##e,
  MOCK_WIRES(MOCK_WIRE_ENUM)
#undef MOCK_WIRE_ENUM
  WIRE_COUNT
};

/* Looks a name up; -1 when unknown. */
int fault_find(const char *name);
int wire_find(const char *name);
void fault_print_list(void);
void wire_print_list(void);
const char *fault_name(int f);

#endif
