import { after, describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { Buffer } from "node:buffer";
import { type NotificationError, notifyAll, telegramSink, webhookSink } from "../../src/trailing/notify.ts";
import { smtpSink } from "../../src/trailing/notify_smtp.ts";
import { startFakeSmtp, startFakeTelegram, startWebhookReceiver } from "./_fake_servers.ts";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const TRICKY = "Stop moved: 64 025.00 → 64 123.51 € ✓ <b>bold?</b> & a=1&b=2 % + #anchor ? 🚀";

function collect(): { errors: NotificationError[]; onError: (e: NotificationError) => void } {
  const errors: NotificationError[] = [];
  return { errors, onError: (e) => errors.push(e) };
}

describe("telegram sink against a local Bot API", () => {
  it("sendMessage on /bot<token>/, chat_id and the text arrive exactly (unicode, &<>, %+#?)", async () => {
    const tg = await startFakeTelegram(TOKEN);
    try {
      const { errors, onError } = collect();
      const sink = telegramSink({ botToken: TOKEN, chatId: "41231996", apiBase: tg.url, onError });
      await sink.send({ type: "stop-moved", subject: "ubtsl BTCUSDC", text: TRICKY });
      assertEquals(errors, []);
      assertEquals(tg.requests.length, 1);
      const r = tg.requests[0];
      assertEquals([r.method, r.path], ["POST", `/bot${TOKEN}/sendMessage`]);
      assertEquals(r.headers["content-type"], "application/json; charset=utf-8");
      assertEquals(JSON.parse(r.body), { chat_id: "41231996", text: `ubtsl BTCUSDC\n\n${TRICKY}` });
    } finally {
      await tg.close();
    }
  });
  it("HTML parse mode escapes &<> so Telegram shows them as written", async () => {
    const tg = await startFakeTelegram(TOKEN);
    try {
      const sink = telegramSink({
        botToken: TOKEN,
        chatId: "@ubtsl_alerts",
        apiBase: tg.url,
        parseMode: "HTML",
      });
      await sink.send({ type: "t", subject: "", text: "a<b & c>d" });
      assertEquals(JSON.parse(tg.requests[0].body), {
        chat_id: "@ubtsl_alerts",
        text: "a&lt;b &amp; c&gt;d",
        parse_mode: "HTML",
      });
    } finally {
      await tg.close();
    }
  });
  it("a refusal is reported, never thrown, and never contains the token", async () => {
    const tg = await startFakeTelegram(TOKEN);
    try {
      const { errors, onError } = collect();
      await telegramSink({ botToken: "999:wrongsecret", chatId: "41231996", apiBase: tg.url, onError })
        .send({ type: "t", subject: "s", text: "x" });
      await telegramSink({ botToken: TOKEN, chatId: "1", apiBase: tg.url, onError }).send({
        type: "t",
        subject: "s",
        text: "x",
      });
      assertEquals(errors.map((e) => [e.sink, e.status, e.message]), [
        ["telegram", 401, "Telegram refused sendMessage with HTTP 401: Unauthorized"],
        ["telegram", 400, "Telegram refused sendMessage with HTTP 400: Bad Request: chat not found"],
      ]);
      for (const e of errors) assert(!JSON.stringify([e.message, String(e.cause)]).includes("wrongsecret"));
    } finally {
      await tg.close();
    }
  });
  it("an unreachable or slow API is reported with the reason, the token scrubbed from the cause", async () => {
    const tg = await startFakeTelegram(TOKEN, { delayMs: 2000 });
    const closed = await startFakeTelegram(TOKEN);
    const deadUrl = closed.url;
    await closed.close();
    try {
      const { errors, onError } = collect();
      await telegramSink({ botToken: TOKEN, chatId: "41231996", apiBase: tg.url, timeoutMs: 100, onError })
        .send({ type: "t", subject: "s", text: "x" });
      await telegramSink({ botToken: TOKEN, chatId: "41231996", apiBase: deadUrl, onError }).send({
        type: "t",
        subject: "s",
        text: "x",
      });
      assertEquals(errors.map((e) => e.message), [
        "Cannot deliver the telegram notification: no answer within 100 ms",
        "Cannot deliver the telegram notification: the request failed",
      ]);
      for (const e of errors) {
        assert(!String((e.cause as Error)?.message).includes(TOKEN.split(":")[1]), "token in cause");
      }
    } finally {
      await tg.close();
    }
  });
  it("a text over 4096 characters is cut with an ellipsis", async () => {
    const tg = await startFakeTelegram(TOKEN);
    try {
      await telegramSink({ botToken: TOKEN, chatId: "41231996", apiBase: tg.url }).send({
        type: "t",
        subject: "",
        text: "x".repeat(5000),
      });
      const text = JSON.parse(tg.requests[0].body).text as string;
      assertEquals([text.length, text.at(-1)], [4096, "…"]);
    } finally {
      await tg.close();
    }
  });
  it("bad options are TypeErrors naming the option, without echoing the token", () => {
    const e = assertThrows(
      () => telegramSink({ botToken: "not a token secretpart", chatId: "1" }),
      TypeError,
      "botToken",
    );
    assert(!(e as Error).message.includes("secretpart"));
    assertThrows(() => telegramSink({ botToken: TOKEN, chatId: "me" }), TypeError, "chatId");
    assertThrows(() => telegramSink({ botToken: TOKEN, chatId: "1", chat: "x" } as never), TypeError, "chat");
  });
});

describe("webhook sink", () => {
  it("POSTs one JSON event; a non-2xx answer is reported with the origin only", async () => {
    const ok = await startWebhookReceiver(204);
    const bad = await startWebhookReceiver(500);
    try {
      const { errors, onError } = collect();
      const sink = webhookSink({
        url: `${ok.url}/hooks/T000/SECRETPATH`,
        headers: { authorization: "Bearer hooksecret" },
        onError,
      });
      await sink.send({
        type: "finished",
        subject: "ubtsl BTCUSDC",
        text: TRICKY,
        data: { averagePrice: "64025.15" },
      });
      assertEquals(errors, []);
      const r = ok.requests[0];
      assertEquals([r.method, r.path, r.headers.authorization], [
        "POST",
        "/hooks/T000/SECRETPATH",
        "Bearer hooksecret",
      ]);
      const body = JSON.parse(r.body);
      assertEquals([body.type, body.subject, body.text, body.data], ["finished", "ubtsl BTCUSDC", TRICKY, {
        averagePrice: "64025.15",
      }]);
      assert(typeof body.time === "number");
      await webhookSink({ url: `${bad.url}/SECRETPATH?token=abc`, onError }).send({
        type: "t",
        subject: "s",
        text: "x",
      });
      assertEquals(errors.map((e) => [e.status, e.message]), [[
        500,
        `Webhook at ${bad.url} answered HTTP 500`,
      ]]);
      assert(!errors[0].message.includes("SECRETPATH"));
    } finally {
      await ok.close();
      await bad.close();
    }
  });
  it("only http(s) URLs", () => {
    assertThrows(() => webhookSink({ url: "file:///etc/passwd" }), TypeError, "url");
  });
});

describe("notifyAll", () => {
  it("delivers to every sink and reports a sink that throws", async () => {
    const hook = await startWebhookReceiver(200);
    try {
      const { errors, onError } = collect();
      const broken = { name: "broken", send: () => Promise.reject(new Error("disk full")) };
      await notifyAll(
        [webhookSink({ url: hook.url }), broken],
        { type: "t", subject: "s", text: "x" },
        onError,
      );
      assertEquals(hook.requests.length, 1);
      assertEquals(errors.map((e) => [e.sink, e.message]), [["broken", "Sink broken failed: disk full"]]);
    } finally {
      await hook.close();
    }
  });
});

// RFC 2047 encoded words and quoted-printable, enough to read what nodemailer writes
function decodeWords(s: string): string {
  return s.replace(
    /=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi,
    (_m, enc: string, text: string) =>
      enc.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : Buffer.from(
        text.replace(/_/g, " ").replace(
          /=([0-9A-F]{2})/gi,
          (_x, h: string) => String.fromCharCode(parseInt(h, 16)),
        ),
        "latin1",
      )
        .toString("utf8"),
  );
}

function parseMail(data: string): { headers: Record<string, string>; body: string } {
  const [head, ...rest] = data.split("\r\n\r\n");
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const i = line.indexOf(":");
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = rest.join("\r\n\r\n");
  if (/quoted-printable/i.test(headers["content-transfer-encoding"] ?? "")) {
    body = Buffer.from(
      body.replace(/=\r\n/g, "").replace(
        /=([0-9A-F]{2})/gi,
        (_x, h: string) => String.fromCharCode(parseInt(h, 16)),
      ),
      "latin1",
    ).toString("utf8");
  } else if (/base64/i.test(headers["content-transfer-encoding"] ?? "")) {
    body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  return { headers, body: body.replace(/\r\n$/, "") };
}

describe("email sink against a local SMTP server", () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  after(async () => {
    for (const s of servers) await s.close();
  });
  for (const method of ["PLAIN", "LOGIN"] as const) {
    it(`AUTH ${method}, MAIL FROM, RCPT TO, DATA: the message arrives with its subject and body`, async () => {
      const smtp = await startFakeSmtp("bot@example.com", "s3cr3t pa$$", [method]);
      servers.push(smtp);
      const { errors, onError } = collect();
      const sink = smtpSink({
        host: "127.0.0.1",
        port: smtp.port,
        secure: false,
        from: "bot@example.com",
        to: "me@example.com",
        password: "s3cr3t pa$$",
        authMethod: method,
        onError,
      });
      await sink.send({
        type: "finished",
        subject: "unicorn-binance-trailing-stop-loss 'BTCUSDC'",
        text: "STOP LOSS FILLED at 64025.15 & <done>",
      });
      assertEquals(errors.map((e) => e.message), []);
      await smtp.waitFor(1);
      const m = smtp.messages[0];
      assertEquals([m.authUser, m.authMethod, m.from, m.to], ["bot@example.com", method, "bot@example.com", [
        "me@example.com",
      ]]);
      const mail = parseMail(m.data);
      assertEquals(mail.headers.subject, "unicorn-binance-trailing-stop-loss 'BTCUSDC'");
      assertEquals(mail.headers.from, "bot@example.com");
      assertEquals(mail.headers.to, "me@example.com");
      assertEquals(mail.body, "STOP LOSS FILLED at 64025.15 & <done>");
    });
  }
  it("unicode subject and body arrive intact", async () => {
    const smtp = await startFakeSmtp("bot@example.com", "pw");
    servers.push(smtp);
    const sink = smtpSink({
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
      from: "bot@example.com",
      to: "me@example.com",
      password: "pw",
    });
    await sink.send({ type: "t", subject: "Stop → 64 123,51 € ✓", text: TRICKY });
    await smtp.waitFor(1);
    const mail = parseMail(smtp.messages[0].data);
    assertEquals(decodeWords(mail.headers.subject), "Stop → 64 123,51 € ✓");
    assertEquals(mail.body, TRICKY);
  });
  it("a wrong password is reported with the server's answer, never the password", async () => {
    const smtp = await startFakeSmtp("bot@example.com", "right");
    servers.push(smtp);
    const { errors, onError } = collect();
    const sink = smtpSink({
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
      from: "bot@example.com",
      to: "me@example.com",
      password: "wrongpassword123",
      authMethod: "PLAIN",
      onError,
    });
    await sink.send({ type: "t", subject: "s", text: "x" });
    assertEquals(errors.length, 1);
    assertEquals(errors[0].sink, "email");
    assertEquals(errors[0].status, 535);
    assert(
      errors[0].message.startsWith(`Cannot deliver the email notification via 127.0.0.1:${smtp.port}: `),
      errors[0].message,
    );
    assert(!errors[0].message.includes("wrongpassword123"));
    assert(
      !errors[0].message.includes(Buffer.from("\0bot@example.com\0wrongpassword123").toString("base64")),
    );
    assertEquals(smtp.messages.length, 0);
  });
  it("a closed port is reported, not thrown", async () => {
    const smtp = await startFakeSmtp("u@x.y", "p");
    const port = smtp.port;
    await smtp.close();
    const { errors, onError } = collect();
    await smtpSink({
      host: "127.0.0.1",
      port,
      secure: false,
      from: "u@x.y",
      to: "v@x.y",
      password: "p",
      onError,
    })
      .send({ type: "t", subject: "s", text: "x" });
    assertEquals(errors.length, 1);
    assert(errors[0].message.includes(`127.0.0.1:${port}`));
  });
  it("bad options name the option", () => {
    assertThrows(() => smtpSink({ host: "h", port: 0, from: "a@b.c", to: "d@e.f" }), TypeError, "port");
    assertThrows(() => smtpSink({ host: "h", port: 465, from: "nobody", to: "d@e.f" }), TypeError, "from");
    assertThrows(
      () => smtpSink({ host: "h", port: 465, from: "a@b.c", to: "d@e.f", pass: "x" } as never),
      TypeError,
      "pass",
    );
  });
});
