/**
 * Notification sinks of the trailing stop: a small {@link NotificationSink} interface, Telegram
 * (Bot API `sendMessage` over `fetch`, the text sent as UTF-8 JSON so any character arrives as
 * written; HTML parse mode escapes `&<>`) and a generic webhook (one JSON POST per event).
 * Email (SMTP) is CLI side: `notify_smtp.ts`.
 *
 * A sink never throws into the engine: a failed delivery is reported to `onError` as a
 * {@link NotificationError} and `send` resolves. Secrets (the bot token, webhook paths and
 * headers) never appear in an error message.
 *
 * @module
 */
import { z } from "zod";
import { BinanceError } from "../core/errors.ts";

/** What a sink delivers. */
export interface NotificationEvent {
  /** Event type, e.g. `finished`, `stop-moved`, `error`, `test`. */
  readonly type: string;
  /** One-line subject (the email subject, the first Telegram line). */
  readonly subject: string;
  /** Body text. */
  readonly text: string;
  /** Structured data (the webhook sends it as `data`). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A place notifications go to. */
export interface NotificationSink {
  /** Sink name for messages (`telegram`, `webhook`, `email`). */
  readonly name: string;
  /**
   * Delivers one event. Resolves when delivered or when the failure was reported to the sink's
   * `onError`; never rejects.
   */
  send(event: NotificationEvent): Promise<void>;
}

/**
 * A notification could not be delivered (no secret in the message).
 *
 * @example
 * ```ts
 * import { NotificationError } from "./notify.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const e = new NotificationError("webhook", "Webhook at https://hooks.example answered HTTP 500", { status: 500 });
 * assertEquals([e.name, e.sink, e.status], ["NotificationError", "webhook", 500]);
 * ```
 */
export class NotificationError extends BinanceError {
  /** The sink. */
  readonly sink: string;
  /** HTTP status, 0 when there was no answer. */
  readonly status: number;
  /**
   * Creates the error.
   *
   * @param sink The sink's name.
   * @param message What failed and why (no secrets).
   * @param options HTTP `status` and `cause`.
   */
  constructor(sink: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "NotificationError";
    this.sink = sink;
    this.status = options.status ?? 0;
  }
}

/** Options shared by the HTTP sinks. */
export interface HttpSinkOptions {
  /** `fetch` to use (a proxy, a test double); default the global one. */
  readonly fetch?: typeof fetch;
  /** Time to wait for the answer in ms; default 10 000. */
  readonly timeoutMs?: number;
  /** Receives delivery failures. */
  readonly onError?: (error: NotificationError) => void;
}

/** Options of {@link telegramSink}. */
export interface TelegramSinkOptions extends HttpSinkOptions {
  /** Bot token from @BotFather (`123456:ABC…`). */
  readonly botToken: string;
  /** Chat: a numeric user/group id (`41231996`) or `@channelname`. */
  readonly chatId: string;
  /** Bot API origin; default `https://api.telegram.org`. */
  readonly apiBase?: string;
  /** `HTML` to let Telegram format the text (then `&<>` are escaped); default plain text. */
  readonly parseMode?: "HTML";
}

/** Options of {@link webhookSink}. */
export interface WebhookSinkOptions extends HttpSinkOptions {
  /** URL receiving `POST` with `application/json`. */
  readonly url: string;
  /** Extra headers (e.g. `authorization`); never shown in errors. */
  readonly headers?: Readonly<Record<string, string>>;
}

const common = {
  fetch: z.custom<typeof fetch>((v) => typeof v === "function", "expected a fetch function").optional(),
  timeoutMs: z.number().int().positive().optional(),
  onError: z.custom<(e: NotificationError) => void>((v) => typeof v === "function", "expected a function")
    .optional(),
};

const TelegramSchema = z.object({
  ...common,
  botToken: z.string().regex(
    /^\d+:[A-Za-z0-9_-]+$/,
    "expected a bot token like 123456:ABC-DEF (from @BotFather)",
  ),
  chatId: z.string().regex(/^-?\d+$|^@[A-Za-z0-9_]{5,}$/, "expected a numeric chat id or @channelname"),
  apiBase: z.url({ protocol: /^https?$/ }).optional(),
  parseMode: z.literal("HTML").optional(),
}).strict();

const WebhookSchema = z.object({
  ...common,
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).optional(),
}).strict();

function validate<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.code === "unrecognized_keys"
    ? (issue as { keys: string[] }).keys.join(", ")
    : issue.path.join(".");
  // the value is never echoed: it may be a token
  throw new TypeError(`Invalid ${what} option ${field || "options"}: ${issue.message}`);
}

/**
 * Escapes `&`, `<` and `>` for Telegram's HTML parse mode.
 *
 * @param text Plain text.
 * @returns The text with `&amp;`, `&lt;`, `&gt;`.
 *
 * @example
 * ```ts
 * import { escapeTelegramHtml } from "./notify.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(escapeTelegramHtml("a < b & c > d"), "a &lt; b &amp; c &gt; d");
 * ```
 */
export function escapeTelegramHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

// Telegram's sendMessage limit is 4096 characters after entity parsing
const TELEGRAM_MAX = 4096;

async function post(
  name: string,
  doFetch: typeof fetch,
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  scrub: (s: string) => string,
): Promise<Response> {
  return await doFetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((e: unknown) => {
    const why = (e as Error)?.name === "TimeoutError"
      ? `no answer within ${timeoutMs} ms`
      : "the request failed";
    // the runtime's message may hold the URL (a Telegram URL holds the token): keep a scrubbed copy
    const cause = new Error(scrub(String((e as Error)?.message ?? e)));
    throw new NotificationError(name, `Cannot deliver the ${name} notification: ${why}`, { cause });
  });
}

function report(onError: ((e: NotificationError) => void) | undefined, e: NotificationError): void {
  try {
    onError?.(e);
  } catch {
    // a throwing onError must not reach the engine either
  }
}

/**
 * A Telegram sink: `POST <apiBase>/bot<token>/sendMessage` with `{ chat_id, text }` as UTF-8 JSON
 * (Python sent the text unencoded in a GET query, T21).
 *
 * @param options Token, chat, API origin, parse mode, fetch, timeout (default 10 s), onError.
 * @returns The sink.
 * @throws {TypeError} On a malformed option (names the option, never echoes the token).
 *
 * @example
 * ```ts
 * import { telegramSink } from "./notify.ts";
 * import { assertEquals } from "@std/assert";
 *
 * let body: unknown;
 * const sink = telegramSink({
 *   botToken: "123:abc", chatId: "41231996",
 *   fetch: async (_url, init) => { body = JSON.parse(String(init?.body)); return Response.json({ ok: true }); },
 * });
 * await sink.send({ type: "test", subject: "ubtsl", text: "Stop at 64 025.00 € & more" });
 * assertEquals(body, { chat_id: "41231996", text: "ubtsl\n\nStop at 64 025.00 € & more" });
 * ```
 */
export function telegramSink(options: TelegramSinkOptions): NotificationSink {
  const o = validate(TelegramSchema, options, "telegram") as TelegramSinkOptions;
  const doFetch = o.fetch ?? fetch;
  const url = `${(o.apiBase ?? "https://api.telegram.org").replace(/\/+$/, "")}/bot${o.botToken}/sendMessage`;
  const scrub = (s: string) => s.replaceAll(o.botToken, "<token>");
  return {
    name: "telegram",
    async send(event: NotificationEvent): Promise<void> {
      try {
        let text = event.subject ? `${event.subject}\n\n${event.text}` : event.text;
        if (text.length > TELEGRAM_MAX) text = `${text.slice(0, TELEGRAM_MAX - 1)}…`;
        const body = o.parseMode === "HTML"
          ? { chat_id: o.chatId, text: escapeTelegramHtml(text), parse_mode: "HTML" }
          : { chat_id: o.chatId, text };
        const res = await post("telegram", doFetch, url, body, {}, o.timeoutMs ?? 10_000, scrub);
        const answer = await res.json().catch(() => undefined) as
          | { ok?: boolean; description?: string }
          | undefined;
        if (!res.ok || answer?.ok !== true) {
          const why = typeof answer?.description === "string" ? `: ${scrub(answer.description)}` : "";
          throw new NotificationError(
            "telegram",
            `Telegram refused sendMessage with HTTP ${res.status}${why}`,
            {
              status: res.status,
            },
          );
        }
      } catch (e) {
        report(
          o.onError,
          e instanceof NotificationError ? e : new NotificationError(
            "telegram",
            `Cannot deliver the telegram notification: ${scrub(String((e as Error)?.message))}`,
          ),
        );
      }
    },
  };
}

/**
 * A webhook sink: `POST <url>` with `{ type, subject, text, data, time }` as JSON; a non-2xx
 * answer is a failure.
 *
 * @param options URL, headers, fetch, timeout (default 10 s), onError.
 * @returns The sink.
 * @throws {TypeError} On a malformed option.
 *
 * @example
 * ```ts
 * import { webhookSink } from "./notify.ts";
 * import { assertEquals } from "@std/assert";
 *
 * let got: { type?: string } = {};
 * const sink = webhookSink({ url: "http://127.0.0.1:9/hook", fetch: async (_u, init) => {
 *   got = JSON.parse(String(init?.body)); return new Response(null, { status: 204 }); } });
 * await sink.send({ type: "finished", subject: "s", text: "t" });
 * assertEquals(got.type, "finished");
 * ```
 */
export function webhookSink(options: WebhookSinkOptions): NotificationSink {
  const o = validate(WebhookSchema, options, "webhook") as WebhookSinkOptions;
  const doFetch = o.fetch ?? fetch;
  // the path and query of a webhook URL are often its secret (Slack, Discord): show the origin only
  const where = new URL(o.url).origin;
  return {
    name: "webhook",
    async send(event: NotificationEvent): Promise<void> {
      try {
        const res = await post(
          "webhook",
          doFetch,
          o.url,
          {
            type: event.type,
            subject: event.subject,
            text: event.text,
            data: event.data ?? {},
            time: Date.now(),
          },
          o.headers ?? {},
          o.timeoutMs ?? 10_000,
          (m) => m.replaceAll(o.url, where),
        );
        await res.body?.cancel();
        if (!res.ok) {
          throw new NotificationError("webhook", `Webhook at ${where} answered HTTP ${res.status}`, {
            status: res.status,
          });
        }
      } catch (e) {
        report(
          o.onError,
          e instanceof NotificationError
            ? e
            : new NotificationError("webhook", `Cannot deliver the webhook notification to ${where}`),
        );
      }
    },
  };
}

/**
 * Sends an event to every sink at once and waits for all; a sink that breaks the contract and
 * throws is reported to `onError` too, never to the caller.
 *
 * @param sinks The sinks.
 * @param event The event.
 * @param onError Receives failures of sinks that throw instead of reporting.
 *
 * @example
 * ```ts
 * import { notifyAll } from "./notify.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const errors: string[] = [];
 * const bad = { name: "bad", send: () => Promise.reject(new Error("boom")) };
 * await notifyAll([bad], { type: "t", subject: "s", text: "x" }, (e) => errors.push(e.message));
 * assertEquals(errors, ["Sink bad failed: boom"]);
 * ```
 */
export async function notifyAll(
  sinks: readonly NotificationSink[],
  event: NotificationEvent,
  onError?: (error: NotificationError) => void,
): Promise<void> {
  const results = await Promise.allSettled(sinks.map((s) => Promise.resolve().then(() => s.send(event))));
  results.forEach((r, i) => {
    if (r.status === "rejected") {
      const name = sinks[i].name;
      report(
        onError,
        r.reason instanceof NotificationError ? r.reason : new NotificationError(
          name,
          `Sink ${name} failed: ${(r.reason as Error)?.message ?? String(r.reason)}`,
          { cause: r.reason },
        ),
      );
    }
  });
}
