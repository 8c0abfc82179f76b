/**
 * UBDCC's JSON envelope: HTTP 200 always on its paths, top-level keys sorted alphabetically,
 * `{event, result: "OK", …payload}` or `{error_id, event, message, result: "ERROR", …extra}`, and
 * with `debug=true` a `debug` object whose `cluster_execution_time` is a number of seconds.
 *
 * @module
 */

/** A UBDCC error id and message (the router's own failures and refused parameters). */
export class UbdccError extends Error {
  /** `#NNNN`. */
  readonly errorId: string;
  /** Extra top-level fields of the answer. */
  readonly extra: Readonly<Record<string, unknown>>;
  /**
   * @param errorId `#NNNN`.
   * @param message What failed and why.
   * @param extra Extra fields.
   */
  constructor(errorId: string, message: string, extra: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = "UbdccError";
    this.errorId = errorId;
    this.extra = extra;
  }
}

/** The debug block of an answer. */
export interface DebugInfo {
  /** Epoch ms when the request arrived. */
  readonly started: number;
  /** The request URL. */
  readonly url: string;
  /** Nodes used: `[name, id]`. */
  readonly usedPods: [string, string][];
  /** The POST body, if any. */
  readonly postBody?: unknown;
}

/** JSON with the object's top-level keys sorted. */
export function sortedJson(body: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(body).sort()) out[k] = body[k];
  return JSON.stringify(out);
}

// a fresh object per response: @hono/node-server adds content-length to the init it is given
const headers = (): Record<string, string> => ({ "content-type": "application/json" });

/** UBDCC's `debug` object of a response (`debug=true`). */
export function debugObject(debug: DebugInfo): Record<string, unknown> {
  const d: Record<string, unknown> = {
    cluster_execution_time: (performance.now() - debug.started) / 1000,
    request_time: 0,
    transmission_time: 0,
    url: debug.url,
    used_pods: debug.usedPods,
  };
  if (debug.postBody !== undefined) d.post_body = debug.postBody;
  return d;
}

function withDebug(body: Record<string, unknown>, debug: DebugInfo | undefined): Record<string, unknown> {
  return debug ? { ...body, debug: debugObject(debug) } : body;
}

/**
 * An OK answer.
 *
 * @param event The event name (`GET_ASKS`, …).
 * @param payload Payload fields.
 * @param debug Debug info when asked.
 * @returns The response (HTTP 200).
 */
export function ubdccOk(event: string, payload: Record<string, unknown>, debug?: DebugInfo): Response {
  return new Response(sortedJson(withDebug({ ...payload, event, result: "OK" }, debug)), {
    headers: headers(),
  });
}

/**
 * An error answer.
 *
 * @param event The event name.
 * @param error The error id, message and extra fields.
 * @param debug Debug info when asked.
 * @returns The response (HTTP 200, as UBDCC: its Python client calls `raise_for_status`).
 */
export function ubdccFail(event: string, error: UbdccError, debug?: DebugInfo): Response {
  const body = { ...error.extra, error_id: error.errorId, event, message: error.message, result: "ERROR" };
  return new Response(sortedJson(withDebug(body, debug)), { headers: headers() });
}
