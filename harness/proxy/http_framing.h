/*
 * http_framing: an incremental HTTP/1.1 message framing tracker.
 *
 * It follows one direction of a connection (requests or responses) and says
 * where each message's head ends, which bytes are body (decoded from chunked
 * framing), and where each message ends (RFC 9112 section 6.3):
 *   - responses to HEAD, 1xx, 204 and 304 carry no body; 101 switches the
 *     connection to an opaque tunnel that ends at EOF;
 *   - Transfer-Encoding ending in `chunked` frames the body in chunks
 *     (extensions skipped, trailers consumed); any other final coding makes
 *     a response body close-delimited and a request an error;
 *   - otherwise Content-Length (repeated or listed values must agree);
 *   - otherwise a response body runs until EOF, a request has none.
 * Empty lines before a start line are skipped. Lenient, on purpose: a bare LF
 * ends a head line or a chunk line, as most servers accept.
 *
 * Pure: no I/O, no clock. Feed bytes, get callbacks. The head is copied into
 * one reused capped buffer; body bytes are handed out in place (pointers into
 * the caller's buffer), so there is no allocation per byte or per message
 * once warm. Errors are sticky.
 */
#ifndef MCPWIRE_HTTP_FRAMING_H
#define MCPWIRE_HTTP_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#include "codec/dynbuf.h"
#include "mcpwire_limits.h"

typedef enum http_body_kind {
  HTTP_BODY_NONE = 0,
  HTTP_BODY_LENGTH,   /* Content-Length bytes */
  HTTP_BODY_CHUNKED,  /* chunked transfer coding */
  HTTP_BODY_CLOSE,    /* until the connection closes (responses only) */
  HTTP_BODY_TUNNEL    /* after 101: opaque bytes until EOF */
} http_body_kind;

/* One complete head. Pointers are valid only during the callback. */
typedef struct http_head {
  const char *raw;     /* start line + headers + blank line, as received */
  size_t raw_len;
  int is_response;
  int status;          /* responses: 100..999; requests: 0 */
  const char *method;  /* requests: the method token; responses: NULL */
  size_t method_len;
  http_body_kind body;
  uint64_t content_length; /* when body is HTTP_BODY_LENGTH */
} http_head;

typedef struct http_framing_callbacks {
  void (*on_head)(void *user, const http_head *head);     /* required */
  /* Body bytes, decoded from chunked framing. Optional. */
  void (*on_body)(void *user, const char *data, size_t len);
  void (*on_message_end)(void *user);                     /* optional */
} http_framing_callbacks;

typedef enum http_framing_status {
  HTTP_FRAMING_OK = 0,
  HTTP_FRAMING_ERR_HEAD_TOO_LARGE,
  HTTP_FRAMING_ERR_START_LINE,      /* not a request line / status line */
  HTTP_FRAMING_ERR_HEADER_LINE,     /* a header line with no colon or a bad name */
  HTTP_FRAMING_ERR_CONTENT_LENGTH,  /* not digits, overflow, or disagreeing values */
  HTTP_FRAMING_ERR_TRANSFER_CODING, /* a request whose final coding is not chunked */
  HTTP_FRAMING_ERR_CHUNK,           /* bad chunk size or missing CRLF after data */
  HTTP_FRAMING_ERR_CHUNK_LINE_TOO_LONG,
  HTTP_FRAMING_ERR_TRAILERS_TOO_LARGE,
  HTTP_FRAMING_ERR_PIPELINE_FULL,   /* too many requests awaiting a response */
  HTTP_FRAMING_ERR_TRUNCATED,       /* EOF inside a head or a framed body */
  HTTP_FRAMING_ERR_NOMEM
} http_framing_status;

/* Embeddable; all fields are private to http_framing.c. */
typedef struct http_framing {
  http_framing_callbacks cb;
  void *user;
  int is_response;
  int state;
  http_framing_status error;
  dynbuf head;
  size_t line_start;       /* offset of the current head line in `head` */
  http_body_kind body;
  uint64_t remaining;      /* LENGTH: bytes left; CHUNKED: of this chunk */
  int chunk_digits;
  size_t chunk_line_len;
  size_t trailer_len;
  size_t trailer_line_len;
  uint64_t messages;       /* completed messages */
  /* Responses: whether each pending request was a HEAD (a ring). */
  unsigned char head_requests[MCPWIRE_PROXY_PIPELINE_MAX];
  size_t pending_start, pending_len;
} http_framing;

void http_framing_init(http_framing *f, int is_response,
                       const http_framing_callbacks *cb, void *user);
void http_framing_free(http_framing *f);

/* Feeds bytes and returns how many were consumed. It returns early, right
 * after a head is complete and right after a message ends, so the bytes of
 * one call are all head or all body/framing. Returns less than len (possibly
 * 0) only at such a stop or on an error (see http_framing_error). */
size_t http_framing_feed(http_framing *f, const char *buf, size_t len);

/* End of stream: ends a close-delimited body or tunnel. Returns the sticky
 * error, or HTTP_FRAMING_ERR_TRUNCATED when EOF cut a head or framed body. */
http_framing_status http_framing_finish(http_framing *f);

/* Responses: tells the tracker a request was sent (is_head: it was HEAD). */
http_framing_status http_framing_expect_response(http_framing *f, int is_head);

http_framing_status http_framing_error(const http_framing *f);
const char *http_framing_status_text(http_framing_status s);
/* 1 when the next byte fed starts or continues a head. */
int http_framing_in_head(const http_framing *f);
/* Framing of the message being read (valid after its head). */
http_body_kind http_framing_body(const http_framing *f);
uint64_t http_framing_messages(const http_framing *f);
/* The head bytes gathered so far and not yet handed out by on_head (what a
 * relay must still forward when it gives up on framing). */
const char *http_framing_head_bytes(const http_framing *f, size_t *len);

/* ---- head helpers (pure, on a complete head) ---- */

typedef struct http_header {
  const char *name;
  size_t name_len;
  const char *value;   /* optional whitespace trimmed both sides */
  size_t value_len;
  size_t line_off;     /* the line's offset in the head */
  size_t line_len;     /* its length, line end included */
} http_header;

/* Iterates the header lines of a head: *pos starts at 0. Returns 1 and fills
 * *out for each header, 0 at the blank line. */
int http_head_next_header(const http_head *h, size_t *pos, http_header *out);
/* Length of the start line including its line end. */
size_t http_head_start_line_len(const http_head *h);
/* Case-insensitive comparison of a header name with a NUL-terminated one. */
int http_header_name_is(const http_header *hd, const char *name);

#endif
