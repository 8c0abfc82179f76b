/**
 * The exact paths of `json.ts`.
 *
 * {@link parseJsonExact}: a strict JSON (RFC 8259) parser that reads integer literals outside
 * ±(2^53 − 1) as `bigint`. `parseJson` sends the rare frames that contain a run of 16+ digits
 * here. On recorded USD-M frames with 20-digit ids it costs about 1.4–3.5× plain `JSON.parse`,
 * against 4–7× for `JSON.parse` with a source-text-access reviver (Bun, Deno, Node 24;
 * `tests/core/json_bench.ts`), and it also works on engines without source access (Node 20).
 * {@link stringifyJsonFallback}: bigint-aware `JSON.stringify` where `JSON.rawJSON` is missing.
 *
 * @module
 */

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const UPPER_E = 69;
const L_BRACKET = 91;
const BACKSLASH = 92;
const R_BRACKET = 93;
const LOWER_E = 101;
const L_BRACE = 123;
const R_BRACE = 125;

/**
 * Parses JSON text; integers beyond `Number.MAX_SAFE_INTEGER` in magnitude become `bigint`.
 *
 * @param text JSON text.
 * @returns The parsed value.
 * @throws {SyntaxError} On malformed JSON, naming the position.
 */
export function parseJsonExact(text: string): unknown {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail("unexpected data after the JSON value");
  return v;
}

// Binance payloads nest a few levels; the cap keeps recursion far from any engine's stack limit
// (V8 overflows near 5000 levels here), so hostile input gets a SyntaxError, not a RangeError.
const MAX_DEPTH = 1000;

class Parser {
  i = 0;
  readonly #s: string;

  constructor(s: string) {
    this.#s = s;
  }

  fail(why: string): never {
    throw new SyntaxError(`Cannot parse JSON at position ${this.i}: ${why}`);
  }

  ws(): void {
    const s = this.#s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === SPACE || c === LF || c === CR || c === TAB) i++;
      else break;
    }
    this.i = i;
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    const s = this.#s;
    const c = s.charCodeAt(this.i);
    switch (c) {
      case L_BRACE:
        return this.object(depth);
      case L_BRACKET:
        return this.array(depth);
      case QUOTE:
        return this.string();
      case 116: // t
        return this.literal("true", true);
      case 102: // f
        return this.literal("false", false);
      case 110: // n
        return this.literal("null", null);
      default:
        if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number();
        return this.fail(
          Number.isNaN(c) ? "unexpected end of input" : `unexpected character ${JSON.stringify(s[this.i])}`,
        );
    }
  }

  literal<T>(word: string, v: T): T {
    if (!this.#s.startsWith(word, this.i)) this.fail(`expected ${word}`);
    this.i += word.length;
    return v;
  }

  object(depth: number): Record<string, unknown> {
    const s = this.#s;
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (s.charCodeAt(this.i) === R_BRACE) {
      this.i++;
      return out;
    }
    for (;;) {
      if (s.charCodeAt(this.i) !== QUOTE) this.fail("expected a property name");
      const key = this.string();
      this.ws();
      if (s.charCodeAt(this.i) !== COLON) this.fail("expected ':'");
      this.i++;
      this.ws();
      const v = this.value(depth + 1);
      // defineProperty: a "__proto__" key must become an own property, as with JSON.parse
      Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      this.ws();
      const c = s.charCodeAt(this.i++);
      if (c === R_BRACE) return out;
      if (c !== COMMA) {
        this.i--;
        this.fail("expected ',' or '}'");
      }
      this.ws();
    }
  }

  array(depth: number): unknown[] {
    const s = this.#s;
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (s.charCodeAt(this.i) === R_BRACKET) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = s.charCodeAt(this.i++);
      if (c === R_BRACKET) return out;
      if (c !== COMMA) {
        this.i--;
        this.fail("expected ',' or ']'");
      }
      this.ws();
    }
  }

  string(): string {
    const s = this.#s;
    const start = this.i;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      if (Number.isNaN(c)) {
        this.i = i;
        this.fail("unterminated string");
      }
      if (c < 0x20) {
        this.i = i;
        this.fail("control character in string");
      }
      i++;
    }
    this.i = i + 1;
    if (!escaped) return s.slice(start + 1, i);
    // escapes are rare in Binance payloads: let the engine decode (and validate) them
    try {
      return JSON.parse(s.slice(start, i + 1)) as string;
    } catch {
      this.i = start;
      return this.fail("invalid escape sequence in string");
    }
  }

  number(): number | bigint {
    const s = this.#s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === MINUS) i++;
    const intStart = i;
    let c = s.charCodeAt(i);
    if (c === ZERO) {
      i++;
    } else if (c >= 49 && c <= NINE) {
      do c = s.charCodeAt(++i); while (c >= ZERO && c <= NINE);
    } else {
      this.i = i;
      this.fail("expected a digit");
    }
    const intDigits = i - intStart;
    let integer = true;
    if (s.charCodeAt(i) === DOT) {
      integer = false;
      i = this.digits(i + 1);
    }
    c = s.charCodeAt(i);
    if (c === LOWER_E || c === UPPER_E) {
      integer = false;
      c = s.charCodeAt(++i);
      if (c === PLUS || c === MINUS) i++;
      i = this.digits(i);
    }
    this.i = i;
    const raw = s.slice(start, i);
    // at most 15 digits is always safe; only longer integer literals can exceed 2^53 - 1
    if (integer && intDigits > 15) {
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : BigInt(raw);
    }
    return Number(raw);
  }

  digits(from: number): number {
    const s = this.#s;
    let i = from;
    let c = s.charCodeAt(i);
    while (c >= ZERO && c <= NINE) c = s.charCodeAt(++i);
    if (i === from) {
      this.i = i;
      this.fail("expected a digit");
    }
    return i;
  }
}

/**
 * `JSON.stringify` with bigints as bare integers, for engines without `JSON.rawJSON` (Node 20):
 * bigints become quoted marker strings with a random nonce, which are then unquoted. The nonce is
 * re-drawn until it occurs nowhere else in the output.
 *
 * @param value Any value.
 * @returns The JSON text, or `undefined` as `JSON.stringify` returns it.
 */
export function stringifyJsonFallback(value: unknown): string | undefined {
  for (;;) {
    const nonce = `\u0001big${crypto.getRandomValues(new Uint32Array(2)).join("_")}:`;
    let count = 0;
    const out = JSON.stringify(value, (_k, v) => {
      if (typeof v !== "bigint") return v;
      count++;
      return nonce + v.toString();
    });
    if (out === undefined || count === 0) return out;
    const quotedNonce = JSON.stringify(nonce).slice(0, -1); // '"\u0001big…:' as it appears in the output
    if (out.split(quotedNonce).length - 1 !== count) continue;
    return out.replaceAll(new RegExp(`${escapeRegExp(quotedNonce)}(-?\\d+)"`, "g"), "$1");
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
