// Reference verdicts for jsonrpc_differential_test: is each record
// well-formed JSON (strict UTF-8, then ECMA-404 / RFC 8259 grammar)?
// Input: a file of records, each a 4-byte little-endian length and the
// bytes. Output: one line per record, 1 (JSON) or 0 (not).
'use strict';
const fs = require('fs');
const buf = fs.readFileSync(process.argv[2]);
// fatal: invalid UTF-8 throws; ignoreBOM: a BOM stays and JSON.parse refuses it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const verdicts = [];
for (let off = 0; off + 4 <= buf.length;) {
  const n = buf.readUInt32LE(off);
  const bytes = buf.subarray(off + 4, off + 4 + n);
  off += 4 + n;
  let ok = 1;
  try {
    JSON.parse(decoder.decode(bytes));
  } catch (e) {
    ok = 0;
  }
  verdicts.push(ok);
}
process.stdout.write(verdicts.join('\n') + '\n');
