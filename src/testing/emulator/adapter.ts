/**
 * The contract between the runtime-neutral server and the per-runtime adapters
 * (`adapter_deno.ts`, `adapter_bun.ts`, `adapter_node.ts`).
 *
 * @module
 */
import type { Hono } from "hono";
import type { UpgradeWebSocket, WSContext } from "hono/ws";
import type { Peer } from "./peer.ts";

/** A listening server. */
export interface Listening {
  /** The bound port (resolved when 0 was requested). */
  readonly port: number;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** What each runtime adapter provides. */
export interface ServerAdapter {
  /** hono's upgrade helper of this runtime. */
  readonly upgradeWebSocket: UpgradeWebSocket;
  /** Starts serving `app`. */
  listen(options: { readonly hostname: string; readonly port: number }): Promise<Listening>;
}

/** Factory signature of the adapter modules. */
export type AdapterFactory = (app: Hono) => ServerAdapter;

interface RawSocket {
  terminate?: () => void;
  ping?: (data?: unknown) => void;
  bufferedAmount?: number;
  getBufferedAmount?: () => number;
}

/** Wraps hono's WSContext into the emulator's Peer (raw-socket extras where the runtime has them). */
export function toPeer(ws: WSContext): Peer {
  const raw = ws.raw as RawSocket | undefined;
  return {
    send: (t) => ws.send(t),
    close: (code, reason) => ws.close(code, reason),
    terminate: () => {
      if (typeof raw?.terminate === "function") raw.terminate();
      else ws.close(4000, "Connection dropped");
    },
    ping: () => {
      if (typeof raw?.ping === "function") raw.ping();
    },
    bufferedAmount: () => {
      if (typeof raw?.getBufferedAmount === "function") return raw.getBufferedAmount();
      return typeof raw?.bufferedAmount === "number" ? raw.bufferedAmount : 0;
    },
  };
}
