/**
 * The check every public options object goes through: unknown keys are refused with a
 * `TypeError` that names the key, the options object and the likely intended key — also when
 * the key belongs to a nested options object (`baseUrl` at the top level of the depth-cache
 * manager → "did you mean restOptions.baseUrl?").
 *
 * Key lists are built with {@link optionKeys}, whose type parameter makes the compiler refuse a
 * list that misses or invents a key of the options interface.
 *
 * @module
 */

/** The keys of an options object, checked by {@link checkOptions}. */
export interface OptionKeys {
  /** The keys in declaration order (for messages and tests). */
  readonly list: readonly string[];
  /** The same keys for the check. */
  readonly set: ReadonlySet<string>;
}

/**
 * Builds the key list of an options interface from an object with every key set to `true`; the
 * compiler refuses a missing or an unknown key.
 *
 * @param shape `{ key: true, … }` for every key of `T`.
 * @returns The key list.
 *
 * @example
 * ```ts
 * import { optionKeys } from "./_options.ts";
 * import { assertEquals } from "@std/assert";
 *
 * interface O { readonly a?: number; readonly b?: string }
 * assertEquals(optionKeys<O>({ a: true, b: true }).list, ["a", "b"]);
 * ```
 */
export function optionKeys<T>(shape: { readonly [K in keyof Required<T>]: true }): OptionKeys {
  const list = Object.keys(shape);
  return { list, set: new Set(list) };
}

/** Nested options objects whose keys may be meant at the top level: `{ restOptions: REST_KEYS }`. */
export type NestedKeys = Readonly<Record<string, OptionKeys>>;

/**
 * Case-insensitive edit distance with adjacent transpositions (optimal string alignment, so
 * `prot` → `port` is one edit); case-only differences count 0.
 */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  if (a === b) return 0;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
      }
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The key a misspelled or misplaced key most likely meant: the same key in another case, the
 * same key in a nested options object (`"restOptions.baseUrl"`), else the nearest key within a
 * third of its length in edits (top-level keys win ties); `undefined` when none is close.
 *
 * @param key The unknown key.
 * @param keys The valid keys.
 * @param nested Nested options objects by their key.
 * @returns The suggestion, e.g. `"baseUrl"` or `"wsOptions.streamBase"`.
 *
 * @example
 * ```ts
 * import { closestKey } from "./_options.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(closestKey("baseURL", ["exchange", "baseUrl", "baseUrls"]), "baseUrl");
 * assertEquals(closestKey("bogusKey", ["exchange", "baseUrl"]), undefined);
 * ```
 */
export function closestKey(
  key: string,
  keys: readonly string[],
  nested: Readonly<Record<string, readonly string[]>> = {},
): string | undefined {
  const candidates: [string, string][] = keys.map((k) => [k, k]);
  for (const [parent, inner] of Object.entries(nested)) {
    for (const k of inner) candidates.push([k, `${parent}.${k}`]);
  }
  let best: string | undefined;
  let bestD = Infinity;
  for (const [k, label] of candidates) {
    const d = k === key ? -1 : distance(key, k); // an exact nested match beats a top-level near miss
    if (d < bestD) {
      best = label;
      bestD = d;
    }
  }
  return bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}

/**
 * Refuses an options value that is not a plain object, or that has a key outside `keys`. The
 * error names every unknown key and what it most likely meant. `undefined` passes (no options).
 *
 * @param value The options the caller passed.
 * @param what The object as the message names it, e.g. `"BinanceRestClient options"`.
 * @param keys The valid keys.
 * @param nested Nested options objects whose keys a caller may have put at the top level.
 * @throws {TypeError} On a non-object or an unknown key.
 *
 * @example
 * ```ts
 * import { checkOptions, optionKeys } from "./_options.ts";
 * import { assertThrows } from "@std/assert";
 *
 * const keys = optionKeys<{ baseUrl?: string }>({ baseUrl: true });
 * assertThrows(
 *   () => checkOptions({ baseURL: "x" }, "Client options", keys),
 *   TypeError,
 *   'Invalid Client options: unknown key "baseURL" (did you mean "baseUrl"?)',
 * );
 * ```
 */
export function checkOptions(value: unknown, what: string, keys: OptionKeys, nested?: NestedKeys): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Invalid ${what}: expected an object, got ${describe(value)}`);
  }
  let unknown: string[] | undefined;
  for (const k in value) {
    if (!keys.set.has(k) && Object.hasOwn(value, k)) (unknown ??= []).push(k);
  }
  if (unknown === undefined) return;
  const inner: Record<string, readonly string[]> = {};
  for (const [parent, k] of Object.entries(nested ?? {})) inner[parent] = k.list;
  const parts = unknown.map((k) => {
    const hint = closestKey(k, keys.list, inner);
    return `${JSON.stringify(k)}${hint === undefined ? "" : ` (did you mean ${JSON.stringify(hint)}?)`}`;
  });
  const noun = parts.length === 1 ? "key" : "keys";
  throw new TypeError(`Invalid ${what}: unknown ${noun} ${parts.join(", ")}`);
}

/**
 * A value as an error message shows it: strings quoted (`"100"` is not `100`), bigints with `n`,
 * objects by kind; never more than 40 characters.
 *
 * @param value Any value a caller passed.
 * @returns The text for the message.
 *
 * @example
 * ```ts
 * import { showValue } from "./_options.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals([showValue("100"), showValue(100), showValue(null), showValue([1])], ['"100"', "100", "null", "an array"]);
 * ```
 */
export function showValue(value: unknown): string {
  if (typeof value === "string") {
    const q = JSON.stringify(value);
    return q.length > 40 ? `${q.slice(0, 36)}…"` : q;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || value === undefined || typeof value !== "object" && typeof value !== "function") {
    return String(value);
  }
  return Array.isArray(value) ? "an array" : typeof value === "function" ? "a function" : "an object";
}
