// eventsource-parser on the same bytes as bench/sse_bench.c: the file is read
// into memory, then decoded and fed in 16 KiB chunks; each event's data is
// touched alike (length + first + last code unit). Best of RUNS.
// usage: node esp-bench.mjs FILE [RUNS]
import {readFileSync} from 'node:fs'
import {createParser} from 'eventsource-parser'

const CHUNK = 16 * 1024
const file = process.argv[2]
const runs = Number(process.argv[3] || 3)
const bytes = readFileSync(file)

function runOnce() {
  let events = 0
  let checksum = 0n
  let sum = 0
  const parser = createParser({
    onEvent(ev) {
      const d = ev.data
      events++
      sum += d.length + (d.length ? d.charCodeAt(0) + d.charCodeAt(d.length - 1) : 0)
      if (sum > 1e15) { checksum += BigInt(sum); sum = 0 }
    },
  })
  const decoder = new TextDecoder()
  for (let at = 0; at < bytes.length; at += CHUNK)
    parser.feed(decoder.decode(bytes.subarray(at, at + CHUNK), {stream: true}))
  parser.feed(decoder.decode())
  return {events, checksum: checksum + BigInt(sum)}
}

let best = Infinity
let result
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint()
  result = runOnce()
  const dt = Number(process.hrtime.bigint() - t0) / 1e9
  if (dt < best) best = dt
}
console.log(`eventsource-parser ${(bytes.length / 1e6 / best).toFixed(1)} ${(result.events / best).toFixed(0)} ${result.events} ${result.checksum}`)
