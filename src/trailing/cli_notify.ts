/**
 * The CLI's notification sinks from its settings: email (`[EMAIL]`, SMTP), Telegram
 * (`[TELEGRAM]`) and webhook (`[WEBHOOK]`) of `ubtsl_config.ini`, each only when its settings are
 * complete (as Python sends email only with to, from, server and port set), and the event of
 * `ubtsl --test notification`.
 *
 * @module
 */
import type { UbtslSettings } from "./cli_settings.ts";
import {
  type NotificationError,
  type NotificationEvent,
  type NotificationSink,
  telegramSink,
  webhookSink,
} from "./notify.ts";
import { smtpSink } from "./notify_smtp.ts";

/** The event `ubtsl --test notification` sends (Python's subject and text). */
export const TEST_NOTIFICATION: NotificationEvent = Object.freeze({
  type: "test",
  subject: "unicorn-binance-trailing-stop-loss notification test",
  text: "Test notification",
});

/** Overrides for tests and proxies. */
export interface SinkOverrides {
  /** Telegram Bot API origin (default `https://api.telegram.org`). */
  readonly telegramApiBase?: string;
  /** SMTP: implicit TLS (default: port 465). */
  readonly smtpSecure?: boolean;
  /** `fetch` for the HTTP sinks. */
  readonly fetch?: typeof fetch;
}

/**
 * The sinks the settings ask for.
 *
 * @param settings Settings of the run (`resolveSettings`).
 * @param onError Receives every delivery failure.
 * @param overrides API origin, SMTP TLS, fetch.
 * @returns The sinks (possibly none).
 * @throws {TypeError} When a setting is malformed for its sink (names the option).
 *
 * @example
 * ```ts
 * import { sinksFromSettings } from "./cli_notify.ts";
 * import { parseArgs } from "./cli_args.ts";
 * import { resolveSettings } from "./cli_settings.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sinksFromSettings(resolveSettings(parseArgs(["--emulator"])), () => {}), []);
 * ```
 */
export function sinksFromSettings(
  settings: UbtslSettings,
  onError: (error: NotificationError) => void,
  overrides: SinkOverrides = {},
): NotificationSink[] {
  const sinks: NotificationSink[] = [];
  const e = settings.email;
  if (e) {
    sinks.push(smtpSink({
      host: e.server,
      port: e.port,
      from: e.from,
      to: e.to,
      ...(e.password !== undefined ? { password: e.password } : {}),
      ...(overrides.smtpSecure !== undefined ? { secure: overrides.smtpSecure } : {}),
      onError,
    }));
  }
  const t = settings.telegram;
  if (t) {
    sinks.push(telegramSink({
      botToken: t.botToken,
      chatId: t.sendTo,
      ...(overrides.telegramApiBase ? { apiBase: overrides.telegramApiBase } : {}),
      ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
      onError,
    }));
  }
  if (settings.webhook) {
    sinks.push(
      webhookSink({
        url: settings.webhook.url,
        ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
        onError,
      }),
    );
  }
  return sinks;
}
