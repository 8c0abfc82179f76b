import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import { describeNetworkError, originOf } from "../../src/core/_network.ts";

const err = (message: string, extra: Record<string, unknown> = {}, cause?: unknown): Error =>
  Object.assign(new Error(message, cause === undefined ? undefined : { cause }), extra);

describe("network: originOf", () => {
  const table: [string, string][] = [
    ["https://api.binance.com/api/v3/order?signature=abc", "https://api.binance.com"],
    ["http://127.0.0.1:9000/api/v3/time", "http://127.0.0.1:9000"],
    ["wss://stream.binance.com:9443/stream?streams=btcusdt@trade", "wss://stream.binance.com:9443"],
    ["wss://fstream.binance.com/private/ws?listenKey=SECRET", "wss://fstream.binance.com"],
    ["https://user:pass@example.com/x", "https://example.com"],
    ["not a url", "an invalid URL"],
  ];
  for (const [url, want] of table) it(want, () => assertEquals(originOf(url), want));
});

describe("network: describeNetworkError", () => {
  const table: [string, unknown, string][] = [
    [
      "Deno refused",
      new TypeError(
        "error sending request for url (http://127.0.0.1:1/api/v3/time?…): client error (Connect): tcp connect error: Connection refused (os error 111)",
      ),
      "connection refused",
    ],
    [
      "Node (undici) refused",
      new TypeError("fetch failed", {
        cause: err("connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" }),
      }),
      "connection refused",
    ],
    [
      "Bun refused",
      err("Unable to connect. Is the computer able to access the url?", { code: "ConnectionRefused" }),
      "connection refused",
    ],
    [
      "Node DNS",
      new TypeError("fetch failed", {
        cause: err("getaddrinfo ENOTFOUND api.binance.invalid", { code: "ENOTFOUND" }),
      }),
      "host not found (DNS)",
    ],
    [
      "Deno DNS",
      new TypeError("error sending request: dns error: failed to lookup address information"),
      "host not found (DNS)",
    ],
    [
      "Node TLS",
      new TypeError("fetch failed", {
        cause: err("unable to verify the first certificate", { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" }),
      }),
      "TLS handshake failed",
    ],
    [
      "Deno TLS",
      new TypeError("error sending request: invalid peer certificate: UnknownIssuer"),
      "TLS handshake failed",
    ],
    ["reset", err("socket hang up", { code: "ECONNRESET" }), "connection reset"],
    [
      "unreachable",
      err("connect EHOSTUNREACH 10.0.0.1:443", { code: "EHOSTUNREACH" }),
      "network unreachable",
    ],
    ["timeout", err("connect ETIMEDOUT 10.0.0.1:443", { code: "ETIMEDOUT" }), "connection timed out"],
    [
      "WebSocket error text",
      "NetworkError: failed to connect to WebSocket: Connection refused",
      "connection refused",
    ],
    [
      "unknown: a quoted URL is cut to its origin",
      new TypeError("fetch failed", { cause: err("weird http://h/p?signature=abc failure") }),
      "weird http://h failure",
    ],
    [
      "Deno WebSocket",
      "NetworkError: failed to connect to WebSocket: tcp connect error",
      "TCP connection failed",
    ],
    [
      "a quoted URL keeps its origin only (the path may hold a listen key)",
      "WebSocket connection to 'wss://dstream.binance.com/ws/LISTENKEY123' failed: Expected 101 status code",
      "WebSocket connection to 'wss://dstream.binance.com' failed: Expected 101 status code",
    ],
    ["nothing to say", new TypeError("fetch failed"), "network error"],
    ["undefined", undefined, "network error"],
  ];
  for (const [name, e, want] of table) {
    it(`${name} -> ${want}`, () => assertEquals(describeNetworkError(e), want));
  }
});
