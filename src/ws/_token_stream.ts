/**
 * Margin user data through listen tokens, renewed without a gap: when the token is due, a second
 * WebSocket-API connection subscribes a fresh token while the first keeps delivering; once the new
 * subscription is acknowledged the old connection is closed. Events the server sends to both
 * during the overlap are delivered once ({@link OverlapDedupe}). A renewal raises no signal, like a
 * market-stream rotation. Internal.
 *
 * @module
 */
import { ApiSession } from "./api_session.ts";
import { OverlapDedupe } from "./_overlap_dedupe.ts";
import type { ManagerContext } from "./_context.ts";
import type { ConnEntry, StreamRecord } from "./_stream_record.ts";

/** What the token stream needs. */
export interface TokenStreamInit {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret?: string;
  /** Fetches a fresh token (`POST /sapi/v1/userListenToken`). */
  readonly getToken: () => Promise<{ readonly token: string; readonly expirationTime: number }>;
}

/** Longest wait for the replacement's subscription before it is given up (and retried). */
const RENEW_TIMEOUT_MS = 30_000;

function eventKey(text: string): string {
  const i = text.indexOf('"event":');
  return i < 0 ? text : text.slice(i);
}

/** Attaches the listen-token sessions of a margin user-data stream to its record. */
export function attachTokenStream(ctx: ManagerContext, rec: StreamRecord, init: TokenStreamInit): void {
  const dedupe = new OverlapDedupe<ApiSession>();
  let next: ApiSession | undefined;
  let retired: ApiSession | undefined;
  let giveUp: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const make = (): ApiSession => {
    const s: ApiSession = new ApiSession({
      ...ctx.options,
      url: init.url,
      apiKey: init.apiKey,
      apiSecret: init.apiSecret,
      WebSocket: ctx.WebSocket,
      requestTimeoutMs: ctx.options.requestTimeoutMs,
      userData: { kind: "listenToken", getToken: init.getToken, renew: () => renew(s) },
      onConnect: () => {
        if (s !== current) return;
        entry.awaitingFirst = true;
        ctx.signal(rec, "CONNECT", { connection: 0 });
      },
      onDisconnect: (reason) => {
        if (s === current) ctx.onDisconnect(rec, entry, reason);
        else if (s === next) abandon();
      },
      onUnrepairable: (reason) => {
        if (s !== current && s !== next) return;
        stopAll();
        ctx.unrepairable(rec, reason);
      },
      onConnectFailed: (reason) => {
        if (s === current) ctx.signal(rec, "CONNECT_FAILED", { connection: 0, reason });
      },
      onSubscribed: () => {
        if (s === next) promote(s);
      },
      onEvent: (text) => {
        if (rec.status !== "running" || (s !== current && s !== next)) return;
        if (dedupe.admit(s, eventKey(text))) ctx.data(rec, entry, text, undefined);
      },
      onDeliver: () => {},
    });
    return s;
  };

  let current = make();
  let entry: ConnEntry = {
    index: 0,
    conn: current.conn,
    names: new Set(),
    inUrl: new Set(),
    awaitingFirst: true,
  };
  rec.conns.push(entry);
  rec.session = current;

  function renew(from: ApiSession): void {
    if (from !== current || next !== undefined || rec.status !== "running") return;
    next = make();
    dedupe.overlapping = true;
    giveUp = setTimeout(abandon, RENEW_TIMEOUT_MS);
    // like a rotation, the renewal's connection does not wait for the attempt budget: the old
    // token would run out meanwhile
    next.start({ replacement: true });
  }

  function promote(s: ApiSession): void {
    clearTimeout(giveUp);
    const old = current;
    current = s;
    next = undefined;
    // the old subscription ends with its connection; its record stays to match late copies
    dedupe.overlapping = false;
    if (retired) dedupe.forgetExcept([old, s]);
    retired = old;
    entry = { ...entry, conn: s.conn };
    rec.conns[0] = entry;
    rec.session = s;
    rec.renewals++;
    rec.pastReconnects += old.conn.reconnects;
    old.stop();
  }

  function abandon(): void {
    clearTimeout(giveUp);
    const s = next;
    next = undefined;
    dedupe.overlapping = false;
    s?.stop();
    if (rec.status === "running") {
      // try again soon; the current subscription keeps delivering until its token ends
      retry = setTimeout(() => renew(current), 1000);
    }
  }

  function stopAll(): void {
    clearTimeout(giveUp);
    clearTimeout(retry);
    next?.stop();
    next = undefined;
    current.stop();
  }

  rec.cleanup.push(stopAll);
}
