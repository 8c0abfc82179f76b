/**
 * `ubtsl --test streams[N]`: the streams the engine would open, without trailing — the price
 * stream of the market and, with keys, the account's user-data stream (what Python's
 * `start_streams()` opens). Bare `streams` ends after five price events (and the user-data stream's
 * connect, when it is opened); `streams<N>` prints every event for N seconds. The user-data stream
 * is only opened where every origin it needs is known: Binance's own, the embedded emulator, or
 * `--stream-url` with `--rest-url` and `--ws-api-url` (never a guess at the live exchange next to a
 * local price stream).
 *
 * @module
 */
import { BinanceWebSocketManager } from "../ws/manager.ts";
import type { StreamMessage } from "../ws/manager.ts";
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_REFUSED } from "./cli_args.ts";
import type { CliIo, Target } from "./cli_commands.ts";
import type { UbtslSettings } from "./cli_settings.ts";
import { priceOf, priceSpec } from "./_prices.ts";

const SOURCE = { last: "aggTrade", book: "bookTicker", mark: "markPrice" } as const;

type Why = "done" | "time" | "abort" | "failed";

/**
 * Runs the stream test.
 *
 * @param t The target (emulator or exchange, with its origins).
 * @param s The settings (`market`, `priceSource`, `side`, keys, `json`).
 * @param seconds `streams<N>`: N; bare `streams`: undefined.
 * @param io Output.
 * @param signal Ctrl-C.
 * @returns 0 events seen (and the user-data stream connected when opened), 2 none or a stream
 *   failed, 130 interrupted.
 */
export async function streamTest(
  t: Target,
  s: UbtslSettings,
  seconds: number | undefined,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const market = s.market!;
  const spec = priceSpec(t.kind, SOURCE[s.priceSource], s.side);
  // bare `streams`: the first five events; `streams<N>`: every event for N seconds
  const wanted = seconds === undefined ? 5 : Infinity;
  const limitMs = (seconds ?? 30) * 1000;
  const origins = t.binance ||
    (t.streamBase !== undefined && t.restUrl !== undefined && t.wsApiUrl !== undefined);
  const keys = t.keys;
  const withUser = keys !== undefined && origins;
  await using ws = new BinanceWebSocketManager({
    exchange: s.exchange,
    ...(withUser ? keys : {}),
    ...(t.streamBase ? { streamBase: t.streamBase } : {}),
    ...(t.restUrl ? { restUrl: t.restUrl } : {}),
    ...(t.wsApiUrl ? { wsApiUrl: t.wsApiUrl, futuresWsApiUrl: t.wsApiUrl } : {}),
  });
  let count = 0;
  let userUp = !withUser;
  let failed = "";
  let finish!: (why: Why) => void;
  const done = new Promise<Why>((r) => (finish = r));
  const timer = setTimeout(() => finish("time"), limitMs);
  const onAbort = () => finish("abort");
  signal?.addEventListener("abort", onAbort, { once: true });
  const line = (x: Record<string, unknown>, text: string) =>
    io.out(s.json ? JSON.stringify(x) + "\n" : text + "\n");
  const check = () => {
    if (count >= wanted && userUp) finish("done");
  };
  if (!s.json) io.out(`Opening ${spec.channel} of ${market} on ${s.exchange} …\n`);
  if (keys !== undefined && !origins && !s.json) {
    io.out("User-data stream not tested: it needs --rest-url and --ws-api-url next to --stream-url\n");
  }
  const priceStream = ws.createStream([spec.channel], [market], {
    output: "parsed",
    label: "ubtsl-test-price",
    onData: (m: StreamMessage) => {
      if (count >= wanted) return;
      count++;
      const d = m.data as Record<string, unknown>;
      const data = typeof d?.stream === "string" && d.data ? d.data : d;
      line(
        { type: "event", stream: m.stream ?? d?.stream, data },
        `${m.stream ?? (d?.stream as string | undefined) ?? spec.channel} ${priceOf(spec, d) ?? ""}`
          .trimEnd(),
      );
      check();
    },
  });
  const userStream = withUser
    ? ws.createUserDataStream({
      ...keys,
      output: "parsed",
      label: "ubtsl-test-user",
      ...(t.kind === "isolated_margin" ? { isolatedSymbol: market } : {}),
      onData: (m: StreamMessage) => {
        const d = m.data as Record<string, unknown>;
        const e = (d?.event ?? d) as Record<string, unknown>;
        line({ type: "userData", data: d }, `user data ${String(e?.e ?? "event")}`);
      },
    })
    : undefined;
  const watching = (async () => {
    for await (const sig of ws.signals()) {
      const which = sig.streamId === userStream ? "user" : sig.streamId === priceStream ? "price" : undefined;
      if (which === undefined) continue;
      const name = which === "user" ? "User-data stream" : "Stream";
      if (sig.type === "CONNECT") {
        line({ type: "signal", stream: which, signal: sig.type }, `${name} connected`);
        if (which === "user") {
          userUp = true;
          check();
        }
      } else if (sig.type === "CONNECT_FAILED" || sig.type === "STREAM_UNREPAIRABLE") {
        line(
          { type: "signal", stream: which, signal: sig.type, reason: sig.reason },
          `${name} failed: ${sig.reason}`,
        );
        if (sig.type === "STREAM_UNREPAIRABLE") {
          failed = `${name} failed: ${sig.reason}`;
          finish("failed");
        }
      }
    }
  })();
  const why = await done;
  clearTimeout(timer);
  signal?.removeEventListener("abort", onAbort);
  await ws.close();
  await watching;
  if (why === "abort") return EXIT_INTERRUPTED;
  if (count === 0) {
    io.err(`No ${spec.channel} event of ${market} within ${limitMs / 1000} s\n`);
    return EXIT_REFUSED;
  }
  if (failed || !userUp) {
    io.err(`${failed || `The user-data stream did not connect within ${limitMs / 1000} s`}\n`);
    return EXIT_REFUSED;
  }
  if (!s.json) {
    io.out(`Received ${count} event(s)${withUser ? ", user-data stream connected" : ""}; streams closed\n`);
  }
  return EXIT_OK;
}
