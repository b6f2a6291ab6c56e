/*
 * redact: the user's secrets never reach a transcript or a report.
 *
 * What the user gives mcpwire to reach a server (--header values, the
 * password of a URL) is a secret: reports are shared, and a Markdown
 * summary lands on public CI pages. Request header lines are written with
 * their value replaced by a redaction that keeps what helps debugging: the
 * auth scheme word, the length, and a short fingerprint that tells two
 * values apart within one run (keyed with a per-process random key, so it
 * reveals nothing across runs). Everything the engine keeps of a case
 * (transcript, reasons, evidence) is then scrubbed of every secret long
 * enough to look for, whatever echoed it: a hostile server may send the
 * token back in a header or a body.
 */
#ifndef MCPWIRE_REDACT_H
#define MCPWIRE_REDACT_H

#include <stddef.h>

#include "mcpwire_limits.h"

/* A secret to look for: bytes that are not NUL-terminated in place. */
typedef struct secret {
  const char *bytes;
  size_t len;
} secret;

typedef struct secret_list {
  secret items[MCPWIRE_SECRETS_MAX];
  size_t n;
  char url_password[MCPWIRE_SECRET_URL_PASSWORD_MAX]; /* storage: the password */
  char basic[2 * MCPWIRE_SECRET_URL_PASSWORD_MAX];    /* storage: its Basic form */
} secret_list;

/* 1 when a header of this name (the "Name" of "Name: value", name_len
 * bytes) carries nothing secret (Accept, Content-Type, MCP-Protocol-Version,
 * ...): its value is shown as given. Every other user header is redacted. */
int redact_header_is_public(const char *name, size_t name_len);

/* Collects the secrets of the command line: every --header value that is
 * not public (and, for "Scheme token" values of Authorization and
 * Proxy-Authorization, the token alone), and the
 * password of url. Values shorter than MCPWIRE_SECRET_SCAN_MIN are redacted
 * in header lines but not looked for in free text (they would match
 * ordinary words). */
void redact_collect(secret_list *out, const char *const *headers, size_t nheaders,
                    const char *url);

/* Adds the values of "NAME=value" entries (--env of a server launched as a
 * command: tokens are passed that way on stdio, STDIO-11). */
void redact_collect_env(secret_list *out, char *const *env, size_t n);

/* Writes "Name: value" for a transcript into out (outlen bytes, always
 * NUL-terminated): as given for a public header, else e.g.
 * "Authorization: Bearer *** (40 bytes, fp 3fa2c1)". */
void redact_header_line(const char *line, char *out, size_t outlen);

/* Replaces every occurrence of every listed secret in text[0..len) with
 * "***", in place; returns the new length (text stays NUL-terminated when
 * it was). */
size_t redact_scrub(const secret_list *s, char *text, size_t len);
/* The same for a malloc'd NUL-terminated string (NULL is ignored). */
void redact_scrub_str(const secret_list *s, char *text);

#endif
