import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import { parseArgs } from "../../src/trailing/cli_args.ts";
import { sinksFromSettings, TEST_NOTIFICATION } from "../../src/trailing/cli_notify.ts";
import { resolveSettings } from "../../src/trailing/cli_settings.ts";
import { parseConfigIni } from "../../src/trailing/config.ts";
import { type NotificationError, notifyAll } from "../../src/trailing/notify.ts";
import { startFakeSmtp, startFakeTelegram, startWebhookReceiver } from "./_fake_servers.ts";

const TOKEN = "4242:AAE_secret-token";

describe("ubtsl --test notification: ubtsl_config.ini → sinks → delivered", () => {
  it("email, Telegram and webhook each receive Python's test message", async () => {
    const smtp = await startFakeSmtp("bot@example.com", "pw 1");
    const tg = await startFakeTelegram(TOKEN);
    const hook = await startWebhookReceiver(200);
    try {
      const config = parseConfigIni(
        [
          "[BINANCE]",
          "api_key =",
          "api_secret =",
          "[EMAIL]",
          "send_to_email = me@example.com",
          "send_from_email = bot@example.com",
          "send_from_password = pw 1",
          "send_from_server = 127.0.0.1",
          `send_from_port = ${smtp.port}`,
          "[TELEGRAM]",
          `bot_token = ${TOKEN}`,
          "send_to = 41231996",
          "[WEBHOOK]",
          `url = ${hook.url}/ubtsl`,
          "",
        ].join("\n"),
        "ubtsl_config.ini",
      );
      const settings = resolveSettings(parseArgs(["--test", "notification"]), { config });
      const errors: NotificationError[] = [];
      const sinks = sinksFromSettings(settings, (e) => errors.push(e), {
        telegramApiBase: tg.url,
        smtpSecure: false,
      });
      assertEquals(sinks.map((s) => s.name), ["email", "telegram", "webhook"]);
      await notifyAll(sinks, TEST_NOTIFICATION, (e) => errors.push(e));
      assertEquals(errors.map((e) => e.message), []);
      await smtp.waitFor(1);
      assertEquals(
        /^Subject: (.*)$/m.exec(smtp.messages[0].data)?.[1],
        "unicorn-binance-trailing-stop-loss notification test",
      );
      assertEquals(
        JSON.parse(tg.requests[0].body).text,
        "unicorn-binance-trailing-stop-loss notification test\n\nTest notification",
      );
      assertEquals(JSON.parse(hook.requests[0].body).type, "test");
    } finally {
      await smtp.close();
      await tg.close();
      await hook.close();
    }
  });
  it("incomplete settings give no sink (Python's rule), the example config none at all", () => {
    const partial = parseConfigIni(
      "[EMAIL]\nsend_to_email = me@example.com\n[TELEGRAM]\nbot_token = 1:a\n",
      "c.ini",
    );
    assertEquals(sinksFromSettings(resolveSettings(parseArgs(["-v"]), { config: partial }), () => {}), []);
  });
});
