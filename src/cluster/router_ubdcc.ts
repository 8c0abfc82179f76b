/**
 * The UBDCC-compatible paths of the router (python-suite.md F.9), so the Python UBLDC `Cluster`
 * client and existing scripts work unchanged: same paths, parameters, envelope and error ids,
 * HTTP 200 with `result: "ERROR"` for failures. Beyond UBDCC: `#6000` at the top level when no
 * replica can serve in sync, `#5001` with the data after a failover, per-replica sync state in
 * the list/info answers, and no endpoint ever returns a key, secret or the cluster state's
 * internals.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { type DebugInfo, UbdccError, ubdccFail, ubdccOk } from "./_envelope.ts";
import type { RouterMetrics } from "./_metrics.ts";
import {
  absent,
  fastReadParams,
  num,
  numOrNull,
  parseFields,
  problemMessage,
  readInput,
  str,
} from "./_params.ts";
import type { DepthCacheInfo, RouterOps } from "./_router_ops.ts";
import { outcomeKind, ubdccReadAnswer } from "./_read_route.ts";
import { AddCredentialsParamsSchema, CreateParamsSchema, ReadParamsSchema } from "./protocol.ts";

const NAMES = {
  exchange: "exchange",
  markets: "markets",
  market: "market",
  desiredQuantity: "desired_quantity",
  updateInterval: "update_interval",
  refreshInterval: "refresh_interval",
  limitCount: "limit_count",
  thresholdVolume: "threshold_volume",
  accountGroup: "account_group",
  apiKey: "api_key",
  apiSecret: "api_secret",
};

/** The version `/test` and `/get_cluster_info` report. */
export const ROUTER_VERSION = "0.1.0";

/** UBDCC's depth-cache record, with the replicas' real sync state in `DISTRIBUTION`. */
export function ubdccRecord(info: DepthCacheInfo): Record<string, unknown> {
  const distribution: Record<string, unknown> = {};
  for (const r of info.replicas) {
    distribution[r.nodeId] = {
      LAST_EVENT_TIME: r.lastEventTime,
      LAST_UPDATE_ID: r.lastUpdateId,
      POD_UID: r.nodeId,
      RECEIVE_LAG_MS: r.receiveLagMs,
      REPORTED_TIME: r.reportedAt / 1000,
      RESYNCS: r.resyncs,
      STATE: r.state,
      STATUS: r.state === "LIVE" ? "running" : "starting",
    };
  }
  const dc = info.dc;
  return {
    ASSIGNED_NODES: info.assigned,
    CREATED_TIME: dc.createdAt / 1000,
    DESIRED_QUANTITY: dc.desiredQuantity,
    DISTRIBUTION: distribution,
    EXCHANGE: dc.exchange,
    MARKET: dc.market,
    REFRESH_INTERVAL: dc.refreshInterval,
    UPDATE_INTERVAL: dc.updateInterval,
  };
}

/** `{exchange: {market: record}}`. */
export function ubdccList(infos: readonly DepthCacheInfo[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const i of infos) (out[i.dc.exchange] ??= {})[i.dc.market] = ubdccRecord(i);
  return out;
}

const SECRET_FIELDS = ["api_key", "api_secret", "apiKey", "apiSecret"];

/** The request URL for `debug.url`, with credential values replaced by `***`. */
function redactUrl(url: string): string {
  const u = new URL(url);
  for (const k of SECRET_FIELDS) if (u.searchParams.has(k)) u.searchParams.set(k, "***");
  return u.toString();
}

/** The POST body for `debug.post_body`, with credential values replaced by `***`. */
function redactBody(body: unknown): unknown {
  if (typeof body !== "object" || body === null) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const k of SECRET_FIELDS) if (k in out) out[k] = "***";
  return out;
}

type Handler = (
  params: Record<string, unknown>,
  debug: DebugInfo | undefined,
) => Promise<Record<string, unknown> | Response> | Record<string, unknown>;

/**
 * Registers the UBDCC paths on `app`.
 *
 * @param app The router's hono app.
 * @param ops The router operations.
 * @param metrics The router's metrics.
 */
export function registerUbdcc(app: Hono, ops: RouterOps, metrics: RouterMetrics): void {
  const route = (path: string, event: string, methods: ("GET" | "POST")[], handler: Handler) => {
    const run = async (c: Context) => {
      const started = performance.now();
      const { params, body, bad } = await readInput(c.req.raw);
      const wantDebug = params.debug === true || params.debug === "true" || params.debug === "True";
      const debug: DebugInfo | undefined = wantDebug
        ? { started, url: redactUrl(c.req.url), usedPods: [], postBody: redactBody(body) }
        : undefined;
      try {
        if (bad) throw new UbdccError("#1017", bad);
        const out = await handler(params, debug);
        return out instanceof Response ? out : ubdccOk(event, out, debug);
      } catch (e) {
        if (e instanceof UbdccError) return ubdccFail(event, e, debug);
        throw e;
      }
    };
    for (const m of methods) m === "GET" ? app.get(path, run) : app.post(path, run);
  };
  const need = (id: string, params: Record<string, unknown>, fields: string[]) => {
    const missing = fields.filter((f) => absent(params[f]));
    if (missing.length > 0) throw new UbdccError(id, `Missing parameter: ${missing.join(", ")} is required`);
  };
  const parsed = <T>(id: string, schema: Parameters<typeof parseFields<T>>[0], input: unknown): T => {
    const r = parseFields(schema, input, NAMES);
    if (!r.ok) throw new UbdccError(id, problemMessage(r.problem));
    return r.data;
  };
  const create = async (params: Record<string, unknown>, markets: unknown, single: boolean) => {
    const p = parsed("#1017", CreateParamsSchema, {
      exchange: str(params.exchange),
      markets,
      desiredQuantity: num(params.desired_quantity),
      updateInterval: numOrNull(params.update_interval),
      refreshInterval: numOrNull(params.refresh_interval),
    });
    const r = await ops.create(p);
    if (single && r.existing.length > 0) {
      throw new UbdccError("#1024", `Cannot create depth cache ${p.exchange} ${r.existing[0]}: it exists`);
    }
    return { created: r.created, existing: r.existing };
  };

  route("/create_depthcache", "CREATE_DEPTHCACHE", ["GET", "POST"], async (params) => {
    need("#1016", params, ["exchange", "market"]);
    await create(params, [params.market], true);
    return {};
  });
  route("/create_depthcaches", "CREATE_DEPTHCACHES", ["GET", "POST"], async (params) => {
    need("#1016", params, ["exchange", "markets"]);
    const m = params.markets;
    const markets = typeof m === "string" ? m.split(",").map((s) => s.trim()).filter((s) => s !== "") : m;
    await create(params, markets, false);
    return {};
  });
  for (const side of ["asks", "bids"] as const) {
    const event = side === "asks" ? "GET_ASKS" : "GET_BIDS";
    route(`/get_${side}`, event, ["GET"], async (params, debug) => {
      const t0 = performance.now();
      let outcome;
      try {
        const p =
          fastReadParams(params.exchange, params.market, params.limit_count, params.threshold_volume) ??
            (need("#1025", params, ["exchange", "market"]),
              parsed("#1025", ReadParamsSchema, {
                exchange: params.exchange,
                market: params.market,
                limitCount: num(params.limit_count),
                thresholdVolume: num(params.threshold_volume),
              }));
        outcome = await ops.read(p, side);
      } catch (e) {
        metrics.read(side, "bad_request", (performance.now() - t0) / 1000);
        throw e;
      }
      metrics.read(side, outcomeKind(outcome), (performance.now() - t0) / 1000);
      return ubdccReadAnswer(side, params.exchange, params.market, outcome, debug);
    });
  }
  route(
    "/get_depthcache_list",
    "GET_DEPTHCACHE_LIST",
    ["GET"],
    () => ({ depthcache_list: ubdccList(ops.list()) }),
  );
  route("/get_depthcache_info", "GET_DEPTHCACHE_INFO", ["GET"], (params) => {
    need("#1006", params, ["exchange", "market"]);
    const info = ops.info(String(params.exchange), String(params.market).toUpperCase());
    if (!info) {
      throw new UbdccError("#7000", `Cannot find depth cache ${params.exchange} ${params.market}: not found`);
    }
    return { depthcache_info: ubdccRecord(info) };
  });
  route("/get_cluster_info", "GET_CLUSTER_INFO", ["GET"], () => {
    const state = ops.state;
    const pods: Record<string, unknown> = {};
    for (const n of state.nodes.values()) {
      pods[n.id] = {
        CAPACITY: n.capacity,
        LAST_SEEN: n.heartbeatAt / 1000,
        LOAD: n.load,
        NAME: n.name,
        ROLE: "ubdcc-dcn",
        STATUS: state.isAlive(n) ? "running" : "timeout",
        UID: n.id,
        URL: n.url,
        VERSION: n.version,
      };
    }
    return {
      db: {
        coordination: state.kind,
        credentials: ops.credentialsList(),
        depthcaches: ubdccList(ops.list()),
        nodes: {},
        pods,
        timestamp: Date.now() / 1000,
      },
      version: ROUTER_VERSION,
    };
  });
  route("/stop_depthcache", "STOP_DEPTHCACHE", ["GET", "POST"], async (params) => {
    need("#1019", params, ["exchange", "market"]);
    const ok = await ops.stop(String(params.exchange), String(params.market).toUpperCase()).catch(() =>
      false
    );
    if (!ok) {
      throw new UbdccError("#7000", `Cannot find depth cache ${params.exchange} ${params.market}: not found`);
    }
    return {};
  });
  route("/add_credentials", "ADD_CREDENTIALS", ["GET", "POST"], async (params) => {
    need("#1030", params, ["account_group", "api_key", "api_secret"]);
    const input = {
      accountGroup: params.account_group,
      apiKey: params.api_key,
      apiSecret: params.api_secret,
    };
    const group = parseFields(AddCredentialsParamsSchema, input, NAMES);
    if (!group.ok) {
      throw new UbdccError(
        group.problem.field === "account_group" ? "#1031" : "#1032",
        problemMessage(group.problem),
      );
    }
    const id = await ops.addCredentials(group.data.accountGroup, group.data.apiKey, group.data.apiSecret);
    if (id === null) throw new UbdccError("#1032", "Cannot store credentials: no live node to seal them for");
    return { id };
  });
  route("/remove_credentials", "REMOVE_CREDENTIALS", ["GET", "POST"], async (params) => {
    need("#1033", params, ["id"]);
    const id = String(params.id);
    const ok = /^[0-9a-f-]{36}$/.test(id) && await ops.removeCredentials(id);
    if (!ok) throw new UbdccError("#1034", `Cannot remove credentials ${id.slice(0, 36)}: not found`);
    return {};
  });
  route(
    "/get_credentials_list",
    "GET_CREDENTIALS_LIST",
    ["GET"],
    () => ({ credentials: ops.credentialsList() }),
  );
  route("/test", "TEST", ["GET"], () => ({
    // the Python client's test_connection() accepts only the name "ubdcc-restapi"
    app: {
      author: "unicorn-binance",
      build_type: "typescript",
      name: "ubdcc-restapi",
      version: ROUTER_VERSION,
    },
    message: "Hello World!",
  }));
}
