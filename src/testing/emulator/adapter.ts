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
  /** Node (`ws`): an EventEmitter with "pong" and "close" events. */
  on?: (event: string, listener: () => void) => void;
  once?: (event: string, listener: () => void) => void;
  /** Bun: the upgrade data, where `adapter_bun.ts` looks up the pong listener. */
  data?: { onPong?: () => void };
  bufferedAmount?: number;
  getBufferedAmount?: () => number;
}

/**
 * How long a closing connection waits for the client's close frame before the socket is dropped.
 * Node's `ws` would wait 30 s, Bun drops the socket at once: a client that ignores the close
 * (one that stopped answering pings, say) sees the connection end within this grace on Node.
 */
export const CLOSE_GRACE_MS: number = 1000;

/** Wraps hono's WSContext into the emulator's Peer (raw-socket extras where the runtime has them). */
export function toPeer(ws: WSContext): Peer {
  const raw = ws.raw as RawSocket | undefined;
  return {
    send: (t) => ws.send(t),
    close: (code, reason) => {
      ws.close(code, reason);
      if (typeof raw?.terminate === "function" && typeof raw.once === "function") {
        const terminate = raw.terminate.bind(raw);
        const timer = setTimeout(terminate, CLOSE_GRACE_MS);
        raw.once("close", () => clearTimeout(timer));
      }
    },
    terminate: () => {
      if (typeof raw?.terminate === "function") raw.terminate();
      else ws.close(4000, "Connection dropped");
    },
    ping: () => {
      if (typeof raw?.ping === "function") raw.ping();
    },
    onPong: (listener) => {
      if (typeof raw?.on === "function") {
        raw.on("pong", listener);
        return true;
      }
      if (raw?.data !== undefined && typeof raw.data === "object" && typeof raw.ping === "function") {
        raw.data.onPong = listener; // Bun: the server's websocket.pong handler calls it
        return true;
      }
      return false;
    },
    bufferedAmount: () => {
      if (typeof raw?.getBufferedAmount === "function") return raw.getBufferedAmount();
      return typeof raw?.bufferedAmount === "number" ? raw.bufferedAmount : 0;
    },
  };
}
