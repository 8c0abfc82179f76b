/**
 * The router's read answers on the UBDCC paths (`/get_asks`, `/get_bids`), and their hot path: a
 * plain read (GET, valid parameters, no `debug`) is answered before the request reaches hono — the
 * query parsed by hand, the envelope written as text around the levels the node sent (never parsed
 * and serialised again). Anything else (a bad parameter, `debug=true`, a refused token) goes the
 * normal way through hono, which answers with the field and the rule; both give the same bytes for
 * the same outcome (`tests/cluster/router_api_test.ts`).
 *
 * @module
 */
import { type DebugInfo, debugObject, UbdccError, ubdccFail } from "./_envelope.ts";
import type { RouterMetrics } from "./_metrics.ts";
import { safeEqual } from "./_node_api.ts";
import { fastReadParams } from "./_params.ts";
import type { ReadOutcome, RouterOps } from "./_router_ops.ts";

// a fresh object per response: @hono/node-server adds content-length to the init it is given
const headers = (): Record<string, string> => ({ "content-type": "application/json" });

/**
 * The UBDCC answer of a read outcome: `{asks|bids, [debug,] [error, error_id,] event, event_time,
 * last_update_id, result, served_by}` (sorted keys) or the error envelope.
 *
 * @param side `asks` / `bids`.
 * @param exchange As asked (for the message).
 * @param market As asked (for the message).
 * @param outcome The read outcome.
 * @param debug Debug info when asked.
 * @returns The response (HTTP 200).
 */
export function ubdccReadAnswer(
  side: "asks" | "bids",
  exchange: unknown,
  market: unknown,
  outcome: ReadOutcome,
  debug?: DebugInfo,
): Response {
  const event = side === "asks" ? "GET_ASKS" : "GET_BIDS";
  switch (outcome.kind) {
    case "ok": {
      debug?.usedPods.push([outcome.node.name, outcome.node.id]);
      let failover = "";
      if (outcome.failures.length > 0) {
        const error = `Data served after ${outcome.failures.length} DCN failure(s): ` +
          outcome.failures.map((f) => `pod=${f.node} — ${f.reason}`).join("; ");
        failover = `"error":${JSON.stringify(error)},"error_id":"#5001",`;
      }
      let debugText = "";
      if (debug) debugText = `"debug":${JSON.stringify(debugObject(debug))},`;
      // keys in sorted order: asks|bids < debug < error < error_id < event < event_time < …
      const body = `{"${side}":${outcome.levelsJson},${debugText}${failover}"event":"${event}",` +
        `"event_time":${outcome.eventTime},"last_update_id":${outcome.lastUpdateId},"result":"OK",` +
        `"served_by":${JSON.stringify(outcome.node.name)}}`;
      return new Response(body, { headers: headers() });
    }
    case "not_found":
      return ubdccFail(
        event,
        new UbdccError("#7000", `Cannot find depth cache ${exchange} ${market}: not found`),
        debug,
      );
    case "no_replica":
      return ubdccFail(
        event,
        new UbdccError("#4000", "No DCN found: no live node reports a replica of this depth cache"),
        debug,
      );
    case "out_of_sync":
      return ubdccFail(
        event,
        new UbdccError("#6000", "Depth cache out of sync: no replica is LIVE", { states: outcome.states }),
        debug,
      );
    case "failed":
      return ubdccFail(
        event,
        new UbdccError("#5000", "No DCN has responded to the request!", {
          requests: outcome.failures.map((f) => [f.node, f.reason]),
        }),
        debug,
      );
  }
}

/** The metrics outcome of a read outcome. */
export function outcomeKind(o: ReadOutcome): string {
  return o.kind === "ok" && o.failures.length > 0 ? "failover" : o.kind;
}

/** Query parameters of a URL by hand (last value wins, as `Object.fromEntries`); null when odd. */
function queryOf(url: string, from: number): Map<string, string> | null {
  const q = new Map<string, string>();
  let i = from;
  while (i < url.length) {
    let end = url.indexOf("&", i);
    if (end < 0) end = url.length;
    const hash = url.indexOf("#", i);
    if (hash >= 0 && hash < end) return null;
    const eq = url.indexOf("=", i);
    const k = eq < 0 || eq > end ? url.slice(i, end) : url.slice(i, eq);
    const v = eq < 0 || eq > end ? "" : url.slice(eq + 1, end);
    // encoded or "+" values take the standard parser (rare for these parameters)
    if (/[%+]/.test(k) || /[%+]/.test(v)) return null;
    if (k !== "") q.set(k, v);
    i = end + 1;
  }
  return q;
}

const READ_KEYS = new Set(["exchange", "market", "limit_count", "threshold_volume"]);

/**
 * The hot path of plain UBDCC reads.
 *
 * @param ops The router operations.
 * @param metrics The router's metrics.
 * @param token `Bearer <client token>`, or undefined when the router is open.
 * @returns A handler that answers a plain read, or returns undefined for hono to answer.
 */
export function fastUbdccReads(
  ops: RouterOps,
  metrics: RouterMetrics,
  token: string | undefined,
): (request: Request) => Response | Promise<Response> | undefined {
  return (request) => {
    const url = request.url;
    const path = url.indexOf("/", url.indexOf("//") + 2);
    if (path < 0 || !url.startsWith("/get_", path) || request.method !== "GET") return undefined;
    const side = url.startsWith("asks?", path + 5)
      ? "asks"
      : url.startsWith("bids?", path + 5)
      ? "bids"
      : null;
    if (side === null) return undefined;
    if (token !== undefined && !safeEqual(request.headers.get("authorization") ?? "", token)) {
      return undefined;
    }
    const q = queryOf(url, path + 10);
    if (q === null) return undefined;
    for (const k of q.keys()) if (!READ_KEYS.has(k)) return undefined; // debug and the like: hono
    const exchange = q.get("exchange"), market = q.get("market");
    const p = fastReadParams(exchange, market, q.get("limit_count"), q.get("threshold_volume"));
    if (p === null) return undefined;
    const t0 = performance.now();
    const answer = (o: ReadOutcome) => {
      metrics.read(side, outcomeKind(o), (performance.now() - t0) / 1000);
      return ubdccReadAnswer(side, exchange, market, o);
    };
    // a node in this process answers synchronously: no promise for the server to wait on
    const o = ops.read(p, side);
    return o instanceof Promise ? o.then(answer) : answer(o);
  };
}
