// Parser of one diff-depth frame as it comes off the wire (UTF-8 JSON text written into linear
// memory by JS), straight into the book's input arrays: no JSON.parse, no JS objects per event.
//
// The parser is strict and conservative: it accepts only what it can prove JSON.parse reads to
// the same values, and answers "not handled" for anything else (string escapes, exponents or
// fractions in ids, duplicate keys, asks before bids, more levels than the batch, a price finer
// than the book's scale, a quantity with more than 15 significant digits, nesting deeper than 16,
// ...). JS then takes the object path (JSON.parse + the same core), which decides what such a
// frame means; so this file can make frames faster but never changes what a frame does to a book.
//
// Values are bit-identical to the object path:
// - price: digits accumulated into an integer (exact below 2^53), as parseTicks does in JS;
// - quantity: m / 10^k with m < 2^53 and k <= 22 (both exact doubles), one correctly rounded
//   division, which is the correctly rounded value of the decimal string: what Number() returns;
// - ids: JSON integers below 2^53.
//
// Speed: the cursor lives in locals (functions take and return it; 0 means "not handled"), and JS
// writes a NUL byte right after the text, so no loop checks the end: NUL is neither whitespace nor
// a digit nor allowed inside a JSON string, so every loop stops on it, and only the final check
// (cursor == end) tells a complete frame from a truncated one.

const MAX_SAFE: f64 = 9007199254740991;
const MAX_SAFE_U: u64 = 9007199254740991;
const MAX_NESTING: i32 = 16;

// key codes
const K_OTHER: i32 = 0;
const K_e: i32 = 1;
const K_E: i32 = 2;
const K_U: i32 = 3;
const K_u: i32 = 4;
const K_pu: i32 = 5;
const K_b: i32 = 6;
const K_a: i32 = 7;
const K_data: i32 = 8;

// "seen" bits
const S_e: i32 = 1;
const S_E: i32 = 2;
const S_U: i32 = 4;
const S_u: i32 = 8;
const S_pu: i32 = 16;
const S_b: i32 = 32;
const S_a: i32 = 64;

// outputs of the small readers (globals: nothing is allocated)
let key: i32 = 0;
let num: f64 = 0;

// per-frame settings and results
let outTicks: usize = 0;
let outQtys: usize = 0;
let room: i32 = 0;
let scale: i32 = 0;
let seen: i32 = 0;

// fields of the last vouched-for frame (read by index.ts)
/** `U`. */
export let fFirst: f64 = 0;
/** `u`. */
export let fLast: f64 = 0;
/** `pu` (NaN when absent). */
export let fPrev: f64 = 0;
/** `E` (0 when absent). */
export let fEvent: f64 = 0;
/** Bid levels (at input index 0). */
export let fBids: i32 = 0;
/** Ask levels (after the bids). */
export let fAsks: i32 = 0;
/** Most decimals written in a quantity (trailing zeros included). */
export let fQtyDec: i32 = 0;

// @ts-ignore: decorator
@inline
function at(p: usize): i32 {
  return <i32>load<u8>(p);
}

// @ts-ignore: decorator
@inline
function isDigit(c: i32): bool {
  return <u32>(c - 0x30) <= 9;
}

// @ts-ignore: decorator
@inline
function skipSpace(p: usize): usize {
  let c = at(p);
  while (c <= 0x20 && (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09)) c = at(++p);
  return p;
}

/** Code of a one-letter key. */
function keyOfLetter(k: i32): i32 {
  if (k == 0x62) return K_b;
  if (k == 0x61) return K_a;
  if (k == 0x55) return K_U;
  if (k == 0x75) return K_u;
  if (k == 0x65) return K_e;
  if (k == 0x45) return K_E;
  return K_OTHER;
}

/** Reads a key string (p on its opening quote) into `key`; returns the cursor after it, 0 if bad. */
function readKey(p: usize): usize {
  if (at(p) != 0x22) return 0;
  const start = ++p;
  let c = at(p);
  while (c != 0x22) {
    if (c == 0x5c || c < 0x20) return 0; // escapes, control characters, the end
    c = at(++p);
  }
  const n = p - start;
  key = K_OTHER;
  if (n == 1) {
    key = keyOfLetter(at(start));
  } else if (n == 2) {
    if (load<u16>(start) == 0x7570) key = K_pu; // "pu"
  } else if (n == 4) {
    if (load<u32>(start) == 0x61746164) key = K_data; // "data"
  }
  return p + 1;
}

/** Non-zero when one of the 8 bytes of `x` is zero (no false negatives). */
// @ts-ignore: decorator
@inline
function zeroByte(x: u64): u64 {
  return (x - 0x0101010101010101) & ~x & 0x8080808080808080;
}

/** Skips a string (p on its opening quote), 8 bytes at a time while no byte can end it. */
function skipString(p: usize): usize {
  p++;
  for (;;) {
    const w = load<u64>(p);
    // a quote, a backslash or a control character (below 0x20) stops the fast scan
    const stop = zeroByte(w ^ 0x2222222222222222) | zeroByte(w ^ 0x5c5c5c5c5c5c5c5c) |
      ((w - 0x2020202020202020) & ~w & 0x8080808080808080);
    if (stop != 0) break;
    p += 8;
  }
  let c = at(p);
  while (c != 0x22) {
    if (c == 0x5c || c < 0x20) return 0;
    c = at(++p);
  }
  return p + 1;
}

/** Skips a JSON number with the exact JSON grammar: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
function skipNumber(p: usize): usize {
  if (at(p) == 0x2d) p++;
  let c = at(p);
  if (c == 0x30) {
    c = at(++p);
  } else if (isDigit(c)) {
    while (isDigit(c)) c = at(++p);
  } else return 0;
  if (c == 0x2e) {
    c = at(++p);
    if (!isDigit(c)) return 0;
    while (isDigit(c)) c = at(++p);
  }
  if (c == 0x65 || c == 0x45) {
    c = at(++p);
    if (c == 0x2b || c == 0x2d) c = at(++p);
    if (!isDigit(c)) return 0;
    while (isDigit(c)) c = at(++p);
  }
  return p;
}

/** Skips any JSON value (p on its first byte; nesting limited). */
function skipValue(p: usize, nesting: i32): usize {
  const c = at(p);
  if (c == 0x22) return skipString(p);
  if (c == 0x2d || isDigit(c)) return skipNumber(p);
  if (c == 0x74) return load<u32>(p) == 0x65757274 ? p + 4 : 0; // true
  if (c == 0x6e) return load<u32>(p) == 0x6c6c756e ? p + 4 : 0; // null
  if (c == 0x66) return load<u32>(p + 1) == 0x65736c61 ? p + 5 : 0; // false
  if (c != 0x5b && c != 0x7b) return 0;
  if (nesting >= MAX_NESTING) return 0;
  const object = c == 0x7b;
  const close = object ? 0x7d : 0x5d;
  p = skipSpace(p + 1);
  if (at(p) == close) return p + 1;
  for (;;) {
    if (object) {
      if (at(p) != 0x22) return 0;
      p = skipString(p);
      if (p == 0) return 0;
      p = skipSpace(p);
      if (at(p) != 0x3a) return 0;
      p = skipSpace(p + 1);
    }
    p = skipValue(p, nesting + 1);
    if (p == 0) return 0;
    p = skipSpace(p);
    const d = at(p);
    if (d == close) return p + 1;
    if (d != 0x2c) return 0;
    p = skipSpace(p + 1);
  }
  return 0; // not reached (asc wants a return after the loop)
}

/** A JSON integer that is a safe non-negative integer, into `num`; anything else is 0 (bad). */
// @ts-ignore: decorator
@inline
function readId(p: usize): usize {
  let c = at(p);
  if (c == 0x30) {
    num = 0;
    c = at(++p);
  } else {
    if (!isDigit(c)) return 0;
    const start = p;
    let v: u64 = 0;
    for (;;) {
      const w = load<u64>(p);
      if (!eightDigits(w)) break;
      v = v * 100000000 + eightValue(w - 0x3030303030303030);
      p += 8;
    }
    c = at(p);
    while (isDigit(c)) {
      v = v * 10 + <u64>(c - 0x30);
      c = at(++p);
    }
    if (p - start > 16 || v > MAX_SAFE_U) return 0; // 17+ digits could have wrapped; 2^53 has 16
    num = <f64>v;
  }
  if (isDigit(c) || c == 0x2e || c == 0x65 || c == 0x45) return 0; // leading zero, fraction, exponent
  return p;
}

/** 10^n as an exact double (n <= 22). */
function pow10(n: i32): f64 {
  let v: f64 = 1;
  for (let i = 0; i < n; i++) v *= 10;
  return v;
}

/** 10^n as an integer (n <= 19). */
function pow10u(n: i32): u64 {
  let v: u64 = 1;
  for (let i = 0; i < n; i++) v *= 10;
  return v;
}

/** True when the 8 bytes of `w` are all ASCII digits (simdjson's test). */
// @ts-ignore: decorator
@inline
function eightDigits(w: u64): bool {
  return ((w & 0xf0f0f0f0f0f0f0f0) | (((w + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) >> 4)) ==
    0x3333333333333333;
}

/** The value of 8 digits already reduced to 0..9 per byte, first digit in the lowest byte (SWAR). */
// @ts-ignore: decorator
@inline
function eightValue(x: u64): u64 {
  x = x * 10 + (x >> 8);
  return (((x & 0x000000ff000000ff) * 0x000f424000000064) +
    (((x >> 16) & 0x000000ff000000ff) * 0x0000271000000001)) >> 32;
}

/**
 * A price string (p on its quote) as integer ticks at `scale` decimals into `num`, exactly as
 * parseTicks reads it: [digits][.digits], at least one digit, decimals beyond the scale only zeros.
 */
// @ts-ignore: decorator
@inline
function readPrice(p: usize): usize {
  if (at(p) != 0x22) return 0;
  let v: u64 = 0;
  let taken: i32 = 0; // digits accumulated into v
  let any = false;
  let c = at(++p);
  while (isDigit(c)) {
    v = v * 10 + <u64>(c - 0x30);
    taken++;
    c = at(++p);
  }
  if (taken > 0) any = true;
  let decimals: i32 = 0;
  if (c == 0x2e) {
    p++;
    // whole runs of 8 decimals (spot writes 8) while the scale takes them
    while (decimals + 8 <= scale) {
      const w = load<u64>(p);
      if (!eightDigits(w)) break;
      v = v * 100000000 + eightValue(w - 0x3030303030303030);
      taken += 8;
      decimals += 8;
      p += 8;
      any = true;
    }
    c = at(p);
    while (isDigit(c)) {
      any = true;
      if (decimals < scale) {
        v = v * 10 + <u64>(c - 0x30);
        taken++;
        decimals++;
      } else if (c != 0x30) {
        return 0; // finer than the book's scale: the object path rebuilds the book
      }
      c = at(++p);
    }
  }
  if (c != 0x22 || !any || taken > 16) return 0; // 17+ digits could have wrapped
  let t = <f64>v; // exact: v < 10^16 and, when accepted below, < 2^53
  if (decimals < scale) t *= pow10(scale - decimals);
  if (v > MAX_SAFE_U || t > MAX_SAFE) return 0;
  num = t;
  return p + 1;
}

/**
 * A quantity string (p on its quote) into `num` as the double Number() gives: m / 10^k with the
 * trailing zeros left out of m. Accepts [digits][.digits] with at least one digit.
 */
// @ts-ignore: decorator
@inline
function readQty(p: usize): usize {
  if (at(p) != 0x22) return 0;
  let m: u64 = 0;
  let k: i32 = 0; // decimals taken into m
  let taken: i32 = 0; // digits accumulated into m since it became non-zero (bounds its size)
  let any = false;
  let c = at(++p);
  while (isDigit(c)) {
    m = m * 10 + <u64>(c - 0x30);
    taken++;
    c = at(++p);
  }
  if (taken > 0) any = true;
  let written: i32 = 0; // decimals written, trailing zeros included
  if (c == 0x2e) {
    p++;
    let zeros: i32 = 0; // decimal zeros not yet taken into m
    for (;;) {
      const w = load<u64>(p);
      if (!eightDigits(w)) break;
      const x = w - 0x3030303030303030;
      if (x == 0) {
        zeros += 8;
      } else {
        const tz = <i32>(clz(x) >> 3); // trailing zero characters sit in the high bytes
        const n = 8 - tz;
        taken = m == 0 ? n : taken + zeros + n; // leading zeros cannot overflow m
        m = m * pow10u(zeros + n) + eightValue(x << (<u64>tz << 3));
        k += zeros + n;
        zeros = tz;
      }
      written += 8;
      p += 8;
      any = true;
    }
    c = at(p);
    while (isDigit(c)) {
      any = true;
      written++;
      if (c == 0x30) {
        zeros++;
      } else {
        taken = m == 0 ? 1 : taken + zeros + 1;
        m = (zeros == 0 ? m * 10 : m * pow10u(zeros + 1)) + <u64>(c - 0x30);
        k += zeros + 1;
        zeros = 0;
      }
      c = at(++p);
    }
  }
  // 17+ accumulated digits could have wrapped; m exact as a double; 10^k exact for k <= 22
  if (c != 0x22 || !any || taken > 16 || m > MAX_SAFE_U || k > 22) return 0;
  if (written > fQtyDec) fQtyDec = written;
  num = k == 0 ? <f64>m : <f64>m / pow10(k);
  return p + 1;
}

/** A `[[price, qty], ...]` array (p on `[`) written to the output arrays from index `from`. */
function readLevels(p: usize, from: i32, isBids: bool): usize {
  if (at(p) != 0x5b) return 0;
  p = skipSpace(p + 1);
  let n: i32 = 0;
  if (at(p) != 0x5d) {
    for (;;) {
      if (from + n >= room) return 0; // more levels than the batch: the object path chunks them
      if (at(p) != 0x5b) return 0;
      p = readPrice(skipSpace(p + 1));
      if (p == 0) return 0;
      const tick = num;
      p = skipSpace(p);
      if (at(p) != 0x2c) return 0;
      p = readQty(skipSpace(p + 1));
      if (p == 0) return 0;
      p = skipSpace(p);
      if (at(p) != 0x5d) return 0;
      const off = <usize>(from + n) << 3;
      store<f64>(outTicks + off, tick);
      store<f64>(outQtys + off, num);
      n++;
      p = skipSpace(p + 1);
      const c = at(p);
      if (c == 0x5d) break;
      if (c != 0x2c) return 0;
      p = skipSpace(p + 1);
    }
  }
  if (isBids) fBids = n;
  else fAsks = n;
  return p + 1;
}

/** Claims a key; a duplicate is not vouched for (JSON.parse keeps the last one). */
function mark(bit: i32): bool {
  if ((seen & bit) != 0) return false;
  seen |= bit;
  return true;
}

/** The value of an event key (p on its first byte). */
function readEventValue(p: usize, k: i32): usize {
  if (k == K_OTHER) return skipValue(p, 1);
  if (k == K_e) {
    if (!mark(S_e)) return 0;
    // the string "depthUpdate": 13 bytes with the quotes ("dept" "hUpd" "ate")
    if (at(p) != 0x22 || load<u32>(p + 1) != 0x74706564 || load<u32>(p + 5) != 0x64705568) return 0;
    if (load<u16>(p + 9) != 0x7461 || at(p + 11) != 0x65 || at(p + 12) != 0x22) return 0;
    return p + 13;
  }
  if (k == K_b) {
    if (!mark(S_b) || (seen & S_a) != 0) return 0; // asks before bids: the batch wants bids first
    return readLevels(p, 0, true);
  }
  if (k == K_a) {
    if (!mark(S_a)) return 0;
    return readLevels(p, fBids, false);
  }
  if (k == K_data) return skipValue(p, 1);
  const bit = k == K_E ? S_E : k == K_U ? S_U : k == K_u ? S_u : S_pu;
  if (!mark(bit)) return 0;
  p = readId(p);
  if (p == 0) return 0;
  if (k == K_E) fEvent = num;
  else if (k == K_U) fFirst = num;
  else if (k == K_u) fLast = num;
  else fPrev = num;
  return p;
}

/** An object (p on `{`): the event itself, or (wrapper) the object whose "data" is the event. */
function readObject(p: usize, wrapper: bool): usize {
  if (at(p) != 0x7b) return 0;
  let data = false;
  p = skipSpace(p + 1);
  if (at(p) == 0x7d) return 0; // {} is neither an event nor a wrapper
  for (;;) {
    const w = load<u32>(p);
    const letter = <i32>((w >> 8) & 0xff);
    if ((w & 0xffff00ff) == 0x3a220022 && letter > 0x22 && letter < 0x7f && letter != 0x5c) {
      // fast path for a one-letter key written `"x":` (every key of an event but "pu"); a control
      // character, space, "!", a quote or a backslash there: the general path decides
      key = keyOfLetter(letter);
      p += 4;
    } else {
      p = readKey(p);
      if (p == 0) return 0;
      p = skipSpace(p);
      if (at(p) != 0x3a) return 0;
      p++;
    }
    p = skipSpace(p);
    if (wrapper) {
      if (key == K_data) {
        if (data) return 0;
        data = true;
        p = readObject(p, false);
      } else p = skipValue(p, 1);
    } else p = readEventValue(p, key);
    if (p == 0) return 0;
    p = skipSpace(p);
    const c = at(p);
    if (c == 0x7d) break;
    if (c != 0x2c) return 0;
    p = skipSpace(p + 1);
  }
  if (wrapper && !data) return 0;
  return p + 1;
}

/**
 * Binance's compact event, key by key in its fixed order (p on `{`):
 * `{"e":"depthUpdate","E":…,["T":…,]"s":"…",["ps":"…",]"U":…,"u":…,["pu":…,]"b":[…],"a":[…]}` with no
 * whitespace. Every key is one wide compare and no key is looked up. 0 on any difference (the
 * caller then resets and runs the general parser).
 */
function readEventFast(p: usize): usize {
  // `{"e":"depthUpdate",` in three compares
  if (load<u64>(p) != 0x6564223a2265227b || load<u64>(p + 8) != 0x7461647055687470) return 0;
  if (load<u16>(p + 16) != 0x2265 || at(p + 18) != 0x2c) return 0;
  p += 19;
  let bits = S_e | S_E | S_U | S_u | S_b | S_a;
  if (load<u32>(p) != 0x3a224522) return 0; // "E":
  p = readId(p + 4);
  if (p == 0 || at(p) != 0x2c) return 0;
  fEvent = num;
  p++;
  if (load<u32>(p) == 0x3a225422) { // "T": (futures)
    p = readId(p + 4);
    if (p == 0 || at(p) != 0x2c) return 0;
    p++;
  }
  if (load<u32>(p) != 0x3a227322) return 0; // "s":
  if (at(p + 4) != 0x22) return 0;
  p = skipString(p + 4);
  if (p == 0 || at(p) != 0x2c) return 0;
  p++;
  if (load<u32>(p) == 0x22737022 && load<u16>(p + 4) == 0x223a) { // "ps":" (COIN-M pair)
    p = skipString(p + 5);
    if (p == 0 || at(p) != 0x2c) return 0;
    p++;
  }
  if (load<u32>(p) != 0x3a225522) return 0; // "U":
  p = readId(p + 4);
  if (p == 0 || at(p) != 0x2c) return 0;
  fFirst = num;
  p++;
  if (load<u32>(p) != 0x3a227522) return 0; // "u":
  p = readId(p + 4);
  if (p == 0 || at(p) != 0x2c) return 0;
  fLast = num;
  p++;
  if (load<u32>(p) == 0x22757022 && at(p + 4) == 0x3a) { // "pu": (futures)
    p = readId(p + 5);
    if (p == 0 || at(p) != 0x2c) return 0;
    fPrev = num;
    bits |= S_pu;
    p++;
  }
  if (load<u32>(p) != 0x3a226222) return 0; // "b":
  p = readLevels(p + 4, 0, true);
  if (p == 0 || at(p) != 0x2c) return 0;
  p++;
  if (load<u32>(p) != 0x3a226122) return 0; // "a":
  p = readLevels(p + 4, fBids, false);
  if (p == 0 || at(p) != 0x7d) return 0;
  seen = bits;
  return p + 1;
}

/**
 * Binance's compact combined-stream frame `{"stream":"<name>","data":{event}}` (p on `{`): the
 * wrapper checked with a few wide compares. 0 when the frame has another shape (the caller then
 * resets and runs the general parser, which accepts any key order and whitespace).
 */
function readWrapperFast(p: usize): usize {
  // `{"stream` then `":` then the name's opening quote
  if (load<u64>(p) != 0x6d6165727473227b || load<u16>(p + 8) != 0x3a22 || at(p + 10) != 0x22) return 0;
  let q = skipString(p + 10);
  if (q == 0 || load<u64>(q) != 0x3a2261746164222c) return 0; // `,"data":`
  q = readEventFast(q + 8);
  if (q == 0 || at(q) != 0x7d) return 0;
  return q + 1;
}

/** Forgets what a parse attempt found. */
function resetFields(): void {
  seen = 0;
  fFirst = 0;
  fLast = 0;
  fPrev = NaN;
  fEvent = 0;
  fBids = 0;
  fAsks = 0;
  fQtyDec = 0;
}

/**
 * Parses the frame at [ptr, ptr + len) (a NUL byte at ptr + len) into `ticks` / `qtys` (at most
 * `capacity` levels, bids first). `wrapped`: the frame is a combined-stream wrapper. `futures`:
 * `pu` is required. Returns true when the frame is vouched for; its fields are then in the
 * exported f* globals.
 */
export function parseFrame(
  ptr: usize,
  len: i32,
  wrapped: bool,
  futures: bool,
  priceScale: i32,
  ticks: usize,
  qtys: usize,
  capacity: i32,
): bool {
  const end = ptr + <usize>len;
  if (load<u8>(end) != 0) return false; // JS did not write the terminator
  outTicks = ticks;
  outQtys = qtys;
  room = capacity;
  scale = priceScale;
  resetFields();
  const start = skipSpace(ptr);
  let p: usize = wrapped ? readWrapperFast(start) : readEventFast(start);
  if (p == 0) {
    resetFields();
    p = readObject(start, wrapped);
    if (p == 0) return false;
  }
  if (skipSpace(p) != end) return false; // trailing bytes (or a NUL inside the text)
  // required: e, U, u, b, a; pu for futures
  const need = futures ? S_e | S_U | S_u | S_pu | S_b | S_a : S_e | S_U | S_u | S_b | S_a;
  if ((seen & need) != need) return false;
  if (fLast < fFirst) return false; // the object path raises on u < U
  return true;
}
