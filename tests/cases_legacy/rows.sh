# rows.sh: the runs of prove.sh (sourced). row PATH CASE WANT MOCK-ARGS...
# Clean mock: every case passes (or skips where the transport has nothing
# to judge); each listed fault turns it to fail (MUST) or warn (otherwise).

# legacy HTTP+SSE
row /sse sse/endpoint/first-event pass
row /sse sse/endpoint/first-event fail --fault no-endpoint-event
row /sse sse/endpoint/first-event fail --fault endpoint-not-first
row /sse sse/endpoint/two-endpoints pass
row /sse sse/endpoint/two-endpoints fail --fault endpoint-wrong-path
row /sse sse/endpoint/same-origin pass
row /sse sse/endpoint/same-origin warn --fault endpoint-cross-origin
# an absolute endpoint URI (here on another origin) is as valid as a relative one;
# mcpwire sends nothing to another origin, so the cases that POST there skip
row /sse sse/endpoint/first-event pass --fault endpoint-cross-origin
row /sse sse/endpoint/two-endpoints skip --fault endpoint-cross-origin
row /sse sse/message/response-on-stream skip --fault endpoint-cross-origin
row /sse sse/endpoint/post-202 pass
row /sse sse/endpoint/post-202 warn --fault post-body-json-on-legacy
row /sse sse/endpoint/unknown-session-rejected pass
row /sse sse/endpoint/unknown-session-rejected warn --fault legacy-accept-unknown-session
row /sse sse/message/response-on-stream pass
row /sse sse/message/response-on-stream fail --fault legacy-wrong-event-type
row /sse sse/session/routing-per-stream pass
row /sse sse/session/routing-per-stream fail --fault legacy-cross-routing
row /sse sse/session/closed-stream-ends-session pass
row /sse sse/session/closed-stream-ends-session warn --fault legacy-accept-unknown-session
row /sse sse/session/survives-rejected-posts pass
row /sse sse/session/survives-rejected-posts warn --fault legacy-reject-ends-session
row /sse sse/security/origin-get-rejected pass
row /sse sse/security/origin-get-rejected fail --fault no-origin-check
row /sse sse/security/origin-post-rejected pass
row /sse sse/security/origin-post-rejected fail --fault no-origin-check
row /sse sse/security/content-type-400 pass
row /sse sse/security/content-type-400 warn --fault legacy-lenient-post
row /sse sse/security/malformed-json-400 pass
row /sse sse/security/malformed-json-400 warn --fault legacy-lenient-post

# backwards compatibility
row /mcp http/compat/legacy-endpoint-hosted pass
row /mcp http/compat/legacy-endpoint-hosted warn --fault no-endpoint-event
row /mcp http/compat/legacy-endpoint-hosted warn --fault endpoint-not-first

# SSE wire, on both transports
for path in /mcp /sse; do
  row $path wire/stream-content-type pass
  row $path wire/event-ids-clean pass
  row $path wire/event-ids-clean fail --fault event-id-with-nul
  row $path wire/data-is-json pass
  row $path wire/data-is-json fail --fault data-stray-cr
  row $path wire/cache-control pass
  row $path wire/cache-control warn --fault no-cache-control
  row $path wire/keepalive-comments pass --heartbeat-ms 300
  row $path wire/keepalive-comments warn --heartbeat-ms 300 --fault no-heartbeat
done
row /mcp wire/stream-content-type fail --fault get-wrong-content-type
row /mcp wire/final-event-terminated pass
row /mcp wire/final-event-terminated fail --fault unterminated-final-event
row /sse wire/final-event-terminated skip
row /mcp wire/final-event-terminated skip --responses json --no-get-stream

# valid-but-unusual framing never changes a verdict
for w in crlf cr nospace comments bom split multiline; do
  row_clean /mcp 'wire/*' --wire $w --heartbeat-ms 300
  row_clean /sse 'sse/endpoint/*,sse/message/*,sse/session/*,sse/security/*' \
    --wire $w --heartbeat-ms 300
  row_clean /sse 'wire/*' --wire $w --heartbeat-ms 300
done
row_clean /mcp 'http/compat/*' --wire bom --wire crlf --wire split
