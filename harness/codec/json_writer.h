/*
 * json_writer: append JSON text to a dynbuf without cJSON.
 *
 * For reports and the `parse` decoders, which write large documents
 * (transcripts) as a stream. Strings are taken as bytes and written as valid
 * UTF-8: an invalid sequence becomes U+FFFD per the WHATWG UTF-8 decoder
 * (maximal subpart), control characters are escaped.
 */
#ifndef MCPWIRE_JSON_WRITER_H
#define MCPWIRE_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "codec/dynbuf.h"

/* "..." with escapes; 0 on success. */
int json_write_string(dynbuf *out, const char *s, size_t len);
int json_write_cstring(dynbuf *out, const char *s); /* NULL writes null */
int json_write_int(dynbuf *out, long long v);
int json_write_uint(dynbuf *out, uint64_t v);
/* Finite doubles with up to 3 decimals (durations); non-finite writes null. */
int json_write_double(dynbuf *out, double v);

#endif
