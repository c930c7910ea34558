// Regenerates es6-numbers.txt: IEEE 754 bit patterns and their ECMAScript Number::toString form,
// the number serialization RFC 8785 prescribes. Run: node es6-numbers.js > es6-numbers.txt
// A fixed-seed generator keeps the file reproducible.
let seed = 0x2545F4914F6CDD1Dn;
function next64() {
  seed ^= seed << 13n; seed &= (1n << 64n) - 1n;
  seed ^= seed >> 7n;
  seed ^= seed << 17n; seed &= (1n << 64n) - 1n;
  return seed;
}
const buf = new DataView(new ArrayBuffer(8));
const out = [];
function emit(bits) {
  buf.setBigUint64(0, bits);
  const x = buf.getFloat64(0);
  if (!Number.isFinite(x)) return;
  out.push(bits.toString(16).padStart(16, '0') + ' ' + String(x));
}
function emitNumber(x) { buf.setFloat64(0, x); emit(buf.getBigUint64(0)); }
// Random bit patterns cover every exponent.
for (let i = 0; i < 3000; i++) emit(next64());
// Numbers around the notation switches (1e21 and 1e-7) and integer precision (2^53).
for (let e = -8; e <= 22; e++) for (const m of [1, 1.5, 9.999999999999998, 2.5, 123456789]) { emitNumber(m * 10 ** e); emitNumber(-m * 10 ** e); }
for (let i = -5; i <= 5; i++) { emitNumber(2 ** 53 + i); emitNumber(1e21 + i * 65536); }
// Short decimals as people write them.
for (let i = 0; i < 1000; i++) { const d = Number(next64() % 1000000n) / 10 ** Number(next64() % 12n); emitNumber(d); }
// Subnormals and extremes.
for (const b of [1n, 2n, 0x000fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn, 0x8000000000000001n]) emit(b);
console.log(out.join('\n'));
