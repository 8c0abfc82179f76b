/**
 * A minimal WebSocket client over a raw TCP socket (`node:net`), for what the WebSocket API
 * hides: the handshake's HTTP status, the server's ping frames, and not answering them.
 *
 * @module
 */
import { connect as tcpConnect, type Socket } from "node:net";

/** A raw client: its handshake status, the frames seen, and how it ended. */
export interface RawClient {
  /** HTTP status of the handshake (101 when upgraded). */
  readonly status: number;
  /** Response headers of the handshake, lowercased names. */
  readonly headers: Record<string, string>;
  /** Body of a refused handshake. */
  readonly body: string;
  /** Ping frames received so far. */
  readonly pings: number;
  /** Resolves when the TCP connection ends: the close code of a close frame, or 1006 without one. */
  readonly ended: Promise<number>;
  /** Ends the connection. */
  destroy(): void;
}

/**
 * Opens `ws://host:port/path` by hand. With `answerPings` false the client never sends a pong.
 *
 * @param url a `ws://127.0.0.1:<port>/…` URL
 */
export function rawConnect(url: string, answerPings: boolean): Promise<RawClient> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const sock: Socket = tcpConnect(Number(u.port), u.hostname);
    let buf = new Uint8Array(0);
    let handshake = true;
    let pings = 0;
    let closeCode = 1006;
    let endResolve: (code: number) => void = () => {};
    const ended = new Promise<number>((r) => endResolve = r);
    const client = {
      status: 0,
      headers: {} as Record<string, string>,
      body: "",
      get pings() {
        return pings;
      },
      ended,
      destroy: () => sock.destroy(),
    };
    sock.on("error", (e) => handshake ? reject(e) : undefined);
    sock.on("close", () => endResolve(closeCode));
    sock.on("connect", () => {
      const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
      sock.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const pong = (payload: Uint8Array): void => {
      // client frames are masked (RFC 6455 §5.3); a zero mask keeps the payload as it is
      const head = new Uint8Array([0x8a, 0x80 | payload.length, 0, 0, 0, 0]);
      sock.write(head);
      if (payload.length > 0) sock.write(payload);
    };
    sock.on("data", (chunk: Uint8Array) => {
      const next = new Uint8Array(buf.length + chunk.length);
      next.set(buf);
      next.set(chunk, buf.length);
      buf = next;
      if (handshake) {
        const text = new TextDecoder().decode(buf);
        const end = text.indexOf("\r\n\r\n");
        if (end < 0) return;
        const lines = text.slice(0, end).split("\r\n");
        client.status = Number(lines[0].split(" ")[1]);
        for (const l of lines.slice(1)) {
          const i = l.indexOf(":");
          client.headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
        }
        handshake = false;
        const headBytes = new TextEncoder().encode(text.slice(0, end + 4)).length;
        buf = buf.slice(headBytes);
        if (client.status !== 101) {
          // the refused handshake's body follows (content-length bytes, possibly in later chunks)
          const len = Number(client.headers["content-length"] ?? 0);
          const done = () => {
            client.body = new TextDecoder().decode(buf.slice(0, len));
            sock.destroy();
            resolve(client);
          };
          if (buf.length >= len) return done();
          sock.removeAllListeners("data");
          sock.on("data", (c: Uint8Array) => {
            const n = new Uint8Array(buf.length + c.length);
            n.set(buf);
            n.set(c, buf.length);
            buf = n;
            if (buf.length >= len) done();
          });
          return;
        }
        resolve(client);
      }
      // server frames: unmasked; lengths up to 64 bits
      while (buf.length >= 2) {
        const op = buf[0] & 0x0f;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = (buf[2] << 8) | buf[3];
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(new DataView(buf.buffer, buf.byteOffset + 2, 8).getBigUint64(0));
          off = 10;
        }
        if (buf.length < off + len) return;
        const payload = buf.slice(off, off + len);
        buf = buf.slice(off + len);
        if (op === 0x9) {
          pings++;
          if (answerPings) pong(payload);
        } else if (op === 0x8) {
          closeCode = payload.length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
        }
      }
    });
  });
}
