/**
 * Network failures told in words a caller can act on: which origin could not be reached and why
 * (connection refused, host not found, TLS, reset, timeout), read from the error and its cause
 * chain as Deno, Bun, Node (undici, `ws`) and workerd report them. Never a path or query string:
 * signatures and listen keys live there.
 *
 * @module
 */

/**
 * The origin (`scheme://host[:port]`) of a URL, without path, query or credentials.
 *
 * @param url An absolute URL.
 * @returns Its origin, or `"an invalid URL"` when it does not parse.
 *
 * @example
 * ```ts
 * import { originOf } from "./_network.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(originOf("https://api.binance.com/api/v3/order?signature=abc"), "https://api.binance.com");
 * assertEquals(originOf("wss://u:p@fstream.binance.com/ws/LISTENKEY"), "wss://fstream.binance.com");
 * ```
 */
export function originOf(url: string): string {
  try {
    const u = new URL(url);
    // URL.origin is "null" for schemes without a tuple origin; ws/wss/http/https all have one
    return u.origin !== "null" ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return "an invalid URL";
  }
}

const RULES: readonly [RegExp, string][] = [
  // DNS before "refused": some runtimes wrap a lookup failure in a generic "failed to connect"
  [
    /ENOTFOUND|EAI_AGAIN|EAI_NONAME|dns error|failed to lookup|getaddrinfo|name resolution/i,
    "host not found (DNS)",
  ],
  [/ECONNREFUSED|connection refused|ConnectionRefused/i, "connection refused"],
  [
    /CERT_|certificate|\bTLS\b|\bSSL\b|ERR_TLS|self[- ]signed|UNABLE_TO_VERIFY|unknown issuer/i,
    "TLS handshake failed",
  ],
  [/ECONNRESET|connection reset|ConnectionReset|socket hang up|ConnectionClosed|EPIPE/i, "connection reset"],
  [/EHOSTUNREACH|ENETUNREACH|network is unreachable|host is unreachable/i, "network unreachable"],
  [/ETIMEDOUT|timed out|TimeoutError/i, "connection timed out"],
  // Deno's WebSocket says no more than this for a refused or unreachable port
  [/tcp connect error|failed to connect|Unable to connect/i, "TCP connection failed"],
];

/**
 * Cuts every URL a runtime's message quotes down to its origin (paths hold listen keys, queries
 * signatures), drops any other query string and long tails.
 */
function scrub(text: string): string {
  return text
    .replace(/\b(?:wss?|https?):\/\/[^\s)"'<>]+/gi, (url) => originOf(url))
    .replace(/\?[^\s)"'<>]*/g, "?…")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 160);
}

/**
 * Why a request or a WebSocket handshake did not reach the server, from an error (its `message`,
 * `code`, `name` and `cause` chain) or a runtime's error text.
 *
 * @param error The failure: an `Error`, an error event's message, anything.
 * @returns A short reason: `"connection refused"`, `"host not found (DNS)"`, `"TLS handshake
 *   failed"`, `"connection reset"`, `"network unreachable"`, `"connection timed out"`, `"TCP
 *   connection failed"`, or the
 *   innermost message with any query string removed.
 *
 * @example
 * ```ts
 * import { describeNetworkError } from "./_network.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const undici = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
 * assertEquals(describeNetworkError(undici), "connection refused");
 * ```
 */
export function describeNetworkError(error: unknown): string {
  const texts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 6 && e !== undefined && e !== null; depth++) {
    if (typeof e === "object") {
      const o = e as { message?: unknown; code?: unknown; name?: unknown; cause?: unknown };
      for (const v of [o.code, o.name, o.message]) if (typeof v === "string" && v !== "") texts.push(v);
      e = o.cause;
    } else {
      texts.push(String(e));
      break;
    }
  }
  const all = texts.join(" | ");
  for (const [re, why] of RULES) if (re.test(all)) return why;
  const last = [...texts].reverse().find((t) => t !== "Error" && t !== "TypeError" && t !== "fetch failed");
  return last === undefined ? "network error" : scrub(last);
}
