// Cross-checks the golden SSE vectors (tests/vectors/sse) against a parser
// nobody here wrote: eventsource-parser, fed the decoded text byte by byte.
// Vectors with custom caps are skipped (caps are mcpwire's own). Known,
// explained differences are listed below; anything else fails (exit 1).
// usage: node vectors-xcheck.mjs VECTOR_DIR
import {readFileSync, readdirSync} from 'node:fs'
import {createParser} from 'eventsource-parser'

const KNOWN = {
  // It reports retry through parseInt, so huge values lose digits.
  '056-retry-huge-exact.txt': 'retry beyond 2^53 is rounded by parseInt',
  // A default TextDecoder strips the first BOM and the parser strips a
  // leading U+FEFF again, so a doubled BOM loses both (WHATWG: only one).
  '068-second-bom-not-stripped.txt': 'TextDecoder + parser strip two BOMs',
}

// The vector escapes: \r \n \t \\ \xHH; other characters as UTF-8.
function decodeInput(text) {
  const bytes = []
  const chars = Array.from(text)
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== '\\') {
      bytes.push(...Buffer.from(chars[i], 'utf8'))
      continue
    }
    const e = chars[++i]
    if (e === 'x') {
      bytes.push(parseInt(chars[i + 1] + chars[i + 2], 16))
      i += 2
    } else {
      bytes.push({r: 13, n: 10, t: 9, '\\': 92}[e])
    }
  }
  return Buffer.from(bytes)
}

function parseWithPeer(input) {
  const lines = []
  let lastEventId = ''
  const parser = createParser({
    onId(id) { lastEventId = id },
    onEvent(ev) {
      lines.push(JSON.stringify({type: ev.event || 'message', data: ev.data, lastEventId}))
    },
    onRetry(ms) { lines.push(`{"retry":${ms}}`) },
  })
  const decoder = new TextDecoder('utf-8')
  for (let i = 0; i < input.length; i++)
    parser.feed(decoder.decode(input.subarray(i, i + 1), {stream: true}))
  parser.feed(decoder.decode())
  return lines
}

const dir = process.argv[2]
let ran = 0, unexpected = 0
for (const name of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
  const lines = readFileSync(`${dir}/${name}`, 'utf8').split('\n')
  if (lines.some((l) => /^(line|event)-max: /.test(l))) continue
  ran++
  const input = Buffer.concat(lines.filter((l) => l.startsWith('input: ')).map((l) => decodeInput(l.slice(7))))
  const want = lines.filter((l) => l.startsWith('expect: ')).map((l) => l.slice(8))
  const got = parseWithPeer(input)
  if (JSON.stringify(got) === JSON.stringify(want)) continue
  if (KNOWN[name]) {
    console.log(`known   ${name}: ${KNOWN[name]}`)
    continue
  }
  unexpected++
  console.log(`DIFFERS ${name}\n  expected: ${want.join('\n            ')}\n  peer:     ${got.join('\n            ')}`)
}
console.log(`${ran} vectors cross-checked with eventsource-parser, ${unexpected} unexpected differences`)
process.exit(unexpected ? 1 : 0)
