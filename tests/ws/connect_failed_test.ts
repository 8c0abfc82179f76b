// A WebSocket connect failure is told as a CONNECT_FAILED signal whose reason names the origin
// (never the path or query: stream names, listen keys) and why; the stream keeps retrying.
import { describe, it } from "node:test";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { BinanceWebSocketManager, type StreamSignal } from "../../src/ws/mod.ts";
import { closedPort } from "../_net.ts";

async function firstFailures(ws: BinanceWebSocketManager, n: number): Promise<StreamSignal[]> {
  const out: StreamSignal[] = [];
  for await (const s of ws.signals()) {
    if (s.type === "CONNECT_FAILED") out.push(s);
    if (out.length === n) break;
  }
  return out;
}

describe("WebSocket connect failures name the origin", () => {
  it("a closed port: CONNECT_FAILED with origin and reason, retried, stream still running", async () => {
    const port = await closedPort();
    const ws = new BinanceWebSocketManager({
      streamBase: `ws://127.0.0.1:${port}`,
      backoffBaseMs: 10,
      backoffMaxMs: 20,
    });
    try {
      const failures = firstFailures(ws, 2);
      const id = ws.createStream(["trade"], ["btcusdt"], { label: "trades" });
      const [a, b] = await failures;
      for (const s of [a, b]) {
        assertEquals([s.streamId, s.label, s.connection], [id, "trades", 0]);
        // Deno says "tcp connect error", Bun "refused"; Node's built-in WebSocket may give no text
        assertMatch(
          s.reason ?? "",
          new RegExp(
            `^Cannot reach ws://127\\.0\\.0\\.1:${port}: (connection refused|TCP connection failed|handshake failed \\(.*\\))$`,
          ),
        );
        assert(!s.reason?.includes("btcusdt"), s.reason);
      }
      assertEquals(ws.getStreamInfo(id).status, "running");
      assertEquals(ws.getStreamInfo(id).lastSignal, "CONNECT_FAILED");
    } finally {
      await ws.close();
    }
  });
});
