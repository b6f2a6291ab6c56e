// eventsource-parser behind mcpwire's subprocess adapter protocol
// (docs/FUZZING.md, "Subprocess adapters").
//
// stdin, one line per input:  <chunk> <hex bytes>   (chunk 0 = whole input)
// stdout, per input:          canonical JSON log lines, then "END"
//
// The bytes are decoded as an EventSource consumer does: a streaming UTF-8
// TextDecoder that replaces invalid bytes with U+FFFD and leaves the BOM in
// (ignoreBOM: true), so the parser's own BOM handling is what is tested.
// eventsource-parser reports an event's own `id` field and calls onId at
// every dispatch that saw one; the last event ID string (WHATWG) is kept
// here from onId, as an EventSource implementation on top of it does.
import { createInterface } from 'node:readline';
import { createParser } from 'eventsource-parser';

function runOne(bytes, chunk) {
  const out = [];
  let lastEventId = '';
  const parser = createParser({
    onId(id) { lastEventId = id; },
    onEvent(ev) {
      out.push(JSON.stringify({
        type: ev.event === undefined || ev.event === '' ? 'message' : ev.event,
        data: ev.data,
        lastEventId,
      }));
    },
    onRetry(ms) {
      out.push(Number.isSafeInteger(ms) ? `{"retry":${ms}}` : '{"retry":"unsafe"}');
    },
    onError() {}, // unknown fields and bad retry values are not errors of the stream
  });
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const step = chunk > 0 ? chunk : Math.max(bytes.length, 1);
  for (let off = 0; off < bytes.length; off += step) {
    const text = decoder.decode(bytes.subarray(off, off + step), { stream: true });
    parser.feed(text);
  }
  parser.feed(decoder.decode()); // end of stream: flush the decoder
  out.push('END');
  return out.join('\n') + '\n';
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  const space = line.indexOf(' ');
  const chunk = Number.parseInt(space < 0 ? line : line.slice(0, space), 10) || 0;
  const hex = space < 0 ? '' : line.slice(space + 1);
  let reply;
  try {
    reply = runOne(Buffer.from(hex, 'hex'), chunk);
  } catch (err) {
    reply = JSON.stringify({ error: String(err && err.message) }) + '\nEND\n';
  }
  if (!process.stdout.write(reply)) {
    await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}
