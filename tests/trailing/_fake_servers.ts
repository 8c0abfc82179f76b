/**
 * Local fake servers for the notification sinks: the Telegram Bot API subset (`sendMessage`), a
 * webhook receiver, and a minimal SMTP server (EHLO, AUTH PLAIN / LOGIN, MAIL FROM, RCPT TO,
 * DATA, RSET, NOOP, QUIT). All listen on 127.0.0.1, port 0.
 *
 * @module
 */
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";

export interface HttpRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeHttp {
  readonly url: string;
  readonly requests: HttpRequestRecord[];
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

async function listen(server: http.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function startHttp(
  handle: (req: HttpRequestRecord) => { status: number; body?: string; delayMs?: number },
): Promise<FakeHttp> {
  const requests: HttpRequestRecord[] = [];
  const waiters: Array<[number, () => void]> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(rec);
      const answer = handle(rec);
      const reply = () => {
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(answer.body ?? "");
        for (const w of waiters.filter(([n]) => requests.length >= n)) w[1]();
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  return listen(server).then((port) => ({
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push([n, resolve])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  }));
}

/** Telegram Bot API subset: `POST /bot<token>/sendMessage` with JSON or form body. */
export function startFakeTelegram(token: string, options: { delayMs?: number } = {}): Promise<FakeHttp> {
  return startHttp((req) => {
    const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.path);
    if (!m) {
      return { status: 404, body: JSON.stringify({ ok: false, error_code: 404, description: "Not Found" }) };
    }
    if (m[1] !== token) {
      return {
        status: 401,
        body: JSON.stringify({ ok: false, error_code: 401, description: "Unauthorized" }),
      };
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body);
    } catch {
      return {
        status: 400,
        body: JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: invalid JSON" }),
      };
    }
    if (typeof body.chat_id !== "string" && typeof body.chat_id !== "number") {
      return {
        status: 400,
        body: JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: chat_id is empty" }),
      };
    }
    if (body.chat_id === "1") {
      return {
        status: 400,
        body: JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: chat not found" }),
      };
    }
    return {
      status: 200,
      delayMs: options.delayMs,
      body: JSON.stringify({
        ok: true,
        result: { message_id: 1, chat: { id: body.chat_id }, text: body.text },
      }),
    };
  });
}

/** A webhook receiver answering every request with `status`. */
export function startWebhookReceiver(status = 204): Promise<FakeHttp> {
  return startHttp(() => ({ status }));
}

export interface SmtpMessage {
  readonly authUser?: string;
  readonly authMethod?: string;
  readonly from: string;
  readonly to: string[];
  readonly data: string;
}

export interface FakeSmtp {
  readonly port: number;
  readonly messages: SmtpMessage[];
  /** Every command line the server received (to check nothing secret is sent in the clear twice). */
  readonly lines: string[];
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** A minimal SMTP server accepting `user` / `password`, offering the given AUTH methods. */
export async function startFakeSmtp(
  user: string,
  password: string,
  methods: string[] = ["PLAIN", "LOGIN"],
): Promise<FakeSmtp> {
  const messages: SmtpMessage[] = [];
  const lines: string[] = [];
  const waiters: Array<[number, () => void]> = [];
  const sockets = new Set<net.Socket>();
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const say = (s: string) => socket.write(`${s}\r\n`);
    let buffer = "";
    let state: "cmd" | "data" | "auth-plain" | "auth-login-user" | "auth-login-pass" = "cmd";
    let authUser: string | undefined;
    let authMethod: string | undefined;
    let loginUser = "";
    let from = "";
    let to: string[] = [];
    let data: string[] = [];
    const checkAuth = (u: string, p: string, method: string) => {
      if (u === user && p === password) {
        authUser = u;
        authMethod = method;
        say("235 2.7.0 Authentication successful");
      } else say("535 5.7.8 Authentication credentials invalid");
      state = "cmd";
    };
    const onLine = (line: string) => {
      if (state === "data") {
        if (line === ".") {
          messages.push({ authUser, authMethod, from, to, data: data.join("\r\n") });
          data = [];
          state = "cmd";
          say("250 2.0.0 Ok: queued");
          for (const w of waiters.filter(([n]) => messages.length >= n)) w[1]();
        } else data.push(line.startsWith("..") ? line.slice(1) : line);
        return;
      }
      lines.push(line);
      if (state === "auth-plain") {
        const [, u, p] = unb64(line).split("\0");
        return checkAuth(u, p, "PLAIN");
      }
      if (state === "auth-login-user") {
        loginUser = unb64(line);
        state = "auth-login-pass";
        return say(`334 ${b64("Password:")}`);
      }
      if (state === "auth-login-pass") return checkAuth(loginUser, unb64(line), "LOGIN");
      const [verb, ...rest] = line.split(" ");
      switch (verb.toUpperCase()) {
        case "EHLO":
          socket.write(`250-localhost\r\n250-AUTH ${methods.join(" ")}\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n`);
          return;
        case "HELO":
          return say("250 localhost");
        case "AUTH": {
          const method = (rest[0] ?? "").toUpperCase();
          if (!methods.includes(method)) return say("504 5.5.4 Unrecognized authentication type");
          if (method === "PLAIN") {
            if (rest[1]) {
              const [, u, p] = unb64(rest[1]).split("\0");
              return checkAuth(u, p, "PLAIN");
            }
            state = "auth-plain";
            return say("334 ");
          }
          if (rest[1]) {
            loginUser = unb64(rest[1]);
            state = "auth-login-pass";
            return say(`334 ${b64("Password:")}`);
          }
          state = "auth-login-user";
          return say(`334 ${b64("Username:")}`);
        }
        case "MAIL":
          if (!authUser) return say("530 5.7.0 Authentication required");
          from = /<([^>]*)>/.exec(line)?.[1] ?? "";
          to = [];
          return say("250 2.1.0 Ok");
        case "RCPT":
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? "");
          return say("250 2.1.5 Ok");
        case "DATA":
          state = "data";
          return say("354 End data with <CR><LF>.<CR><LF>");
        case "RSET":
          from = "";
          to = [];
          return say("250 2.0.0 Ok");
        case "NOOP":
          return say("250 2.0.0 Ok");
        case "QUIT":
          say("221 2.0.0 Bye");
          socket.end();
          return;
        default:
          return say("502 5.5.2 Error: command not recognized");
      }
    };
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let i: number;
      while ((i = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        onLine(line);
      }
    });
    say("220 localhost ESMTP fake");
  });
  const port = await listen(server);
  return {
    port,
    messages,
    lines,
    waitFor: (n) =>
      messages.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push([n, resolve])),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
