/**
 * Email notifications over SMTP (CLI side: nodemailer, Node APIs). Implicit TLS on port 465 as
 * the Python CLI uses it, STARTTLS when the server offers it on other ports; `AUTH PLAIN` or
 * `LOGIN`. A failed delivery is reported to `onError` as a `NotificationError`; the password
 * never appears in it.
 *
 * @module
 */
import nodemailer from "nodemailer";
import { z } from "zod";
import { NotificationError, type NotificationEvent, type NotificationSink } from "./notify.ts";

/** Options of {@link smtpSink} (the `[EMAIL]` section of `ubtsl_config.ini`). */
export interface SmtpSinkOptions {
  /** SMTP server host (`send_from_server`). */
  readonly host: string;
  /** Port (`send_from_port`); 465 → implicit TLS. */
  readonly port: number;
  /** Sender address and login (`send_from_email`). */
  readonly from: string;
  /** Recipient (`send_to_email`). */
  readonly to: string;
  /** Password (`send_from_password`); absent → no AUTH. */
  readonly password?: string;
  /** Implicit TLS; default `port === 465`. */
  readonly secure?: boolean;
  /** Force an AUTH method; default: what the server offers (nodemailer's choice). */
  readonly authMethod?: "PLAIN" | "LOGIN";
  /** Refuse to send without TLS (default false: STARTTLS when offered). */
  readonly requireTls?: boolean;
  /** Connection, greeting and socket timeout in ms; default 15 000. */
  readonly timeoutMs?: number;
  /** Receives delivery failures. */
  readonly onError?: (error: NotificationError) => void;
}

const Schema = z.object({
  host: z.string().min(1, "expected a host name"),
  port: z.number().int().min(1).max(65535),
  from: z.string().regex(/^[^\s@]+@[^\s@]+$/, "expected an email address"),
  to: z.string().regex(/^[^\s@]+@[^\s@]+$/, "expected an email address"),
  password: z.string().optional(),
  secure: z.boolean().optional(),
  authMethod: z.enum(["PLAIN", "LOGIN"]).optional(),
  requireTls: z.boolean().optional(),
  timeoutMs: z.number().int().positive().optional(),
  onError: z.custom<(e: NotificationError) => void>((v) => typeof v === "function", "expected a function")
    .optional(),
}).strict();

/**
 * An email sink: one message per event, subject and plain-text body as given (UTF-8).
 *
 * @param options Server, port, addresses, password, TLS, auth method, timeout, onError.
 * @returns The sink.
 * @throws {TypeError} On a malformed option (names the option, never echoes the password).
 *
 * @example
 * ```ts
 * import { smtpSink } from "./notify_smtp.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const sink = smtpSink({ host: "smtp.example.com", port: 465, from: "me@example.com", to: "you@example.com" });
 * assertEquals(sink.name, "email");
 * ```
 */
export function smtpSink(options: SmtpSinkOptions): NotificationSink {
  const r = Schema.safeParse(options);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.code === "unrecognized_keys"
      ? (issue as { keys: string[] }).keys.join(", ")
      : issue.path.join(".");
    throw new TypeError(`Invalid email option ${field || "options"}: ${issue.message}`);
  }
  const o = r.data as SmtpSinkOptions;
  const timeout = o.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: o.host,
    port: o.port,
    secure: o.secure ?? o.port === 465,
    requireTLS: o.requireTls ?? false,
    ...(o.password !== undefined ? { auth: { user: o.from, pass: o.password } } : {}),
    ...(o.authMethod ? { authMethod: o.authMethod } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const scrub = (s: string): string => {
    if (!o.password) return s;
    // neither the password nor its base64 (as in AUTH PLAIN / LOGIN lines) may leak
    const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(o.password)));
    return s.replaceAll(o.password, "<password>").replaceAll(b64, "<password>");
  };
  return {
    name: "email",
    async send(event: NotificationEvent): Promise<void> {
      try {
        await transport.sendMail({ from: o.from, to: o.to, subject: event.subject, text: event.text });
      } catch (e) {
        const err = e as { message?: string; responseCode?: number };
        const error = new NotificationError(
          "email",
          `Cannot deliver the email notification via ${o.host}:${o.port}: ${
            scrub(String(err?.message ?? e))
          }`,
          { status: typeof err?.responseCode === "number" ? err.responseCode : 0 },
        );
        try {
          o.onError?.(error);
        } catch {
          // a throwing onError must not reach the engine
        }
      }
    },
  };
}
