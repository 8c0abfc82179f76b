/**
 * The versioned REST API of the router (`/v1`), which the TypeScript client uses: resource paths,
 * real HTTP status codes, camelCase fields, and errors as `{ error: { id, message, field?, rule? } }`
 * with the same error ids as the UBDCC paths. A 4xx names the field and the rule; a refused
 * request changes nothing.
 *
 * | Method and path | OK | Errors |
 * |---|---|---|
 * | `GET /v1/depthcaches` | 200 `{ depthCaches }` | |
 * | `POST /v1/depthcaches` `{ exchange, market \| markets, desiredQuantity?, updateInterval?, refreshInterval? }` | 201 `{ created, existing }` | 400, 409 (single `market` that exists) |
 * | `GET /v1/depthcaches/:exchange/:market` | 200 `{ depthCache }` | 404 |
 * | `DELETE /v1/depthcaches/:exchange/:market` | 200 `{ stopped: true }` | 404 |
 * | `GET /v1/depthcaches/:exchange/:market/asks\|bids?limitCount&thresholdVolume` | 200 `{ levels, lastUpdateId, eventTime, servedBy, failover }` | 400, 404 `#7000`, 503 `#6000` / `#4000`, 502 `#5000` |
 * | `GET /v1/cluster` | 200 `{ coordination, nodes, depthCaches, credentials }` | |
 * | `GET /v1/credentials`, `POST /v1/credentials`, `DELETE /v1/credentials/:id` | 200 / 201 `{ id }` / 200 | 400, 404, 503 |
 * | `GET /v1/test` | 200 `{ message, version }` | |
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { RouterMetrics } from "./_metrics.ts";
import { fastReadParams, type FieldProblem, num, parseFields, problemMessage } from "./_params.ts";
import type { DepthCacheInfo, RouterOps } from "./_router_ops.ts";
import { outcomeKind } from "./_read_route.ts";
import { AddCredentialsParamsSchema, CreateParamsSchema, ReadParamsSchema } from "./protocol.ts";
import { ROUTER_VERSION } from "./router_ubdcc.ts";

type Status = 400 | 404 | 409 | 502 | 503;

function fail(c: Context, status: Status, id: string, message: string, problem?: FieldProblem): Response {
  return c.json(
    { error: { id, message, ...(problem ? { field: problem.field, rule: problem.rule } : {}) } },
    status,
  );
}

function view(info: DepthCacheInfo): Record<string, unknown> {
  return { ...info.dc, assignedNodes: info.assigned, replicas: info.replicas };
}

async function jsonBody(c: Context): Promise<{ ok: true; body: unknown } | { ok: false; res: Response }> {
  try {
    return { ok: true, body: await c.req.json() };
  } catch {
    return {
      ok: false,
      res: fail(c, 400, "#1017", "Invalid body: expected a JSON object", {
        field: "body",
        rule: "expected a JSON object",
      }),
    };
  }
}

/**
 * Registers `/v1` on `app`.
 *
 * @param app The router's hono app.
 * @param ops The router operations.
 * @param metrics The router's metrics.
 */
export function registerV1(app: Hono, ops: RouterOps, metrics: RouterMetrics): void {
  app.get("/v1/depthcaches", (c) => c.json({ depthCaches: ops.list().map(view) }));
  app.post("/v1/depthcaches", async (c) => {
    const b = await jsonBody(c);
    if (!b.ok) return b.res;
    const body = b.body as Record<string, unknown>;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return fail(c, 400, "#1017", "Invalid body: expected a JSON object", {
        field: "body",
        rule: "expected a JSON object",
      });
    }
    const single = "market" in body;
    if (single && "markets" in body) {
      const p = { field: "market", rule: "give either market or markets, not both" };
      return fail(c, 400, "#1017", problemMessage(p), p);
    }
    const { market, ...rest } = body;
    const r = parseFields(
      CreateParamsSchema,
      single ? { ...rest, markets: [market] } : body,
      single ? { markets: "market" } : {},
    );
    if (!r.ok) {
      const id = r.problem.rule === "Required" || /received undefined/.test(r.problem.rule)
        ? "#1016"
        : "#1017";
      return fail(c, 400, id, problemMessage(r.problem), r.problem);
    }
    const res = await ops.create(r.data);
    if (single && res.existing.length > 0) {
      return fail(
        c,
        409,
        "#1024",
        `Cannot create depth cache ${r.data.exchange} ${res.existing[0]}: it exists`,
      );
    }
    return c.json(res, 201);
  });
  app.get("/v1/depthcaches/:exchange/:market", (c) => {
    const info = ops.info(c.req.param("exchange"), c.req.param("market").toUpperCase());
    if (!info) return fail(c, 404, "#7000", "Cannot find depth cache: not found");
    return c.json({ depthCache: view(info) });
  });
  app.delete("/v1/depthcaches/:exchange/:market", async (c) => {
    const ok = await ops.stop(c.req.param("exchange"), c.req.param("market").toUpperCase()).catch(() =>
      false
    );
    if (!ok) return fail(c, 404, "#7000", "Cannot find depth cache: not found");
    return c.json({ stopped: true });
  });
  for (const side of ["asks", "bids"] as const) {
    app.get(`/v1/depthcaches/:exchange/:market/${side}`, async (c) => {
      const t0 = performance.now();
      const q = new URL(c.req.url).searchParams;
      const unknown = [...q.keys()].filter((k) => k !== "limitCount" && k !== "thresholdVolume");
      if (unknown.length > 0) {
        metrics.read(side, "bad_request", (performance.now() - t0) / 1000);
        const p = { field: unknown.join(", "), rule: "unknown parameter" };
        return fail(c, 400, "#1025", problemMessage(p), p);
      }
      const fast = fastReadParams(
        c.req.param("exchange"),
        c.req.param("market"),
        q.get("limitCount") ?? undefined,
        q.get("thresholdVolume") ?? undefined,
      );
      const r = fast ? { ok: true as const, data: fast } : parseFields(ReadParamsSchema, {
        exchange: c.req.param("exchange"),
        market: c.req.param("market"),
        limitCount: num(q.get("limitCount") ?? undefined),
        thresholdVolume: num(q.get("thresholdVolume") ?? undefined),
      });
      if (!r.ok) {
        metrics.read(side, "bad_request", (performance.now() - t0) / 1000);
        return fail(c, 400, "#1025", problemMessage(r.problem), r.problem);
      }
      const o = await ops.read(r.data, side);
      metrics.read(side, outcomeKind(o), (performance.now() - t0) / 1000);
      switch (o.kind) {
        case "ok": {
          // the levels as the node wrote them (not parsed and serialised again)
          const failover = o.failures.length > 0 ? { id: "#5001", failures: o.failures } : null;
          return c.body(
            `{"exchange":${JSON.stringify(r.data.exchange)},"market":${JSON.stringify(r.data.market)},` +
              `"side":"${side}","levels":${o.levelsJson},"lastUpdateId":${o.lastUpdateId},` +
              `"eventTime":${o.eventTime},"servedBy":${JSON.stringify(o.node.id)},` +
              `"failover":${JSON.stringify(failover)}}`,
            200,
            { "content-type": "application/json" },
          );
        }
        case "not_found":
          return fail(
            c,
            404,
            "#7000",
            `Cannot find depth cache ${r.data.exchange} ${r.data.market}: not found`,
          );
        case "no_replica":
          return fail(c, 503, "#4000", "No replica: no live node reports a replica of this depth cache");
        case "out_of_sync":
          return fail(c, 503, "#6000", "Depth cache out of sync: no replica is LIVE");
        case "failed":
          return fail(
            c,
            502,
            "#5000",
            `No replica answered: ${o.failures.map((f) => `${f.node} ${f.reason}`).join("; ")}`,
          );
      }
    });
  }
  app.get("/v1/cluster", (c) => {
    const s = ops.state;
    return c.json({
      coordination: s.kind,
      config: s.config,
      nodes: [...s.nodes.values()].map((n) => ({
        id: n.id,
        name: n.name,
        url: n.url,
        capacity: n.capacity,
        alive: s.isAlive(n),
        heartbeatAt: n.heartbeatAt,
        startedAt: n.startedAt,
        load: n.load,
        version: n.version,
      })),
      depthCaches: ops.list().map(view),
      credentials: ops.credentialsList(),
      version: ROUTER_VERSION,
    });
  });
  app.get("/v1/credentials", (c) => c.json({ credentials: ops.credentialsList() }));
  app.post("/v1/credentials", async (c) => {
    const b = await jsonBody(c);
    if (!b.ok) return b.res;
    const r = parseFields(AddCredentialsParamsSchema, b.body);
    if (!r.ok) {
      return fail(
        c,
        400,
        r.problem.field === "accountGroup" ? "#1031" : "#1032",
        problemMessage(r.problem),
        r.problem,
      );
    }
    const id = await ops.addCredentials(r.data.accountGroup, r.data.apiKey, r.data.apiSecret);
    if (id === null) return fail(c, 503, "#1032", "Cannot store credentials: no live node to seal them for");
    return c.json({ id }, 201);
  });
  app.delete("/v1/credentials/:id", async (c) => {
    const id = c.req.param("id");
    const ok = /^[0-9a-f-]{36}$/.test(id) && await ops.removeCredentials(id);
    if (!ok) return fail(c, 404, "#1034", "Cannot remove credentials: not found");
    return c.json({ removed: true });
  });
  app.get("/v1/test", (c) => c.json({ message: "Hello World!", version: ROUTER_VERSION }));
}
