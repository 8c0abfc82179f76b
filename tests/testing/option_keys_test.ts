import { describe, it } from "node:test";
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { type EmulatorOptions, startEmulator } from "../../src/testing/mod.ts";
import { closestKey } from "../../src/core/_options.ts";

const WS = "wss://stream.binance.com:9443/stream?streams=btcusdt@depth@100ms <-> 1634025600.0\n";

describe("emulator options refuse unknown keys by name", () => {
  it("near misses: same letters in another case, or a few edits (the library's closestKey)", () => {
    const table: Array<[string, string[], string | undefined]> = [
      ["coinM", ["spot", "usdm", "coinm"], "coinm"],
      ["usdM", ["spot", "usdm", "coinm"], "usdm"],
      ["sped", ["speed", "autoStart"], "speed"],
      ["autostart", ["speed", "autoStart"], "autoStart"],
      ["intervalMS", ["intervalMs", "paused"], "intervalMs"],
      ["baseUrl", ["port", "hostname"], undefined],
      ["x", ["ms", "count"], undefined],
    ];
    for (const [key, known, want] of table) assertEquals(closestKey(key, known), want, key);
  });

  it("every options object of startEmulator, with the path and the likely key", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ prot: 0 }, /^Invalid prot: unknown option \(did you mean "port"\?\)$/],
      [
        { baseUrl: "x" },
        /^Invalid baseUrl: unknown option; expected one of port, hostname/,
      ],
      [
        { replay: { coinM: { ws: WS } } },
        /^Invalid replay\.coinM: .*did you mean "coinm"/,
      ],
      [{ replay: { sped: 2 } }, /^Invalid replay\.sped: .*did you mean "speed"/],
      [
        { replay: { spot: { ws: WS, htpp: "" } } },
        /^Invalid replay\.spot\.htpp: .*"http"/,
      ],
      [
        { limits: { banafter: 2 } },
        /^Invalid limits\.banafter: .*did you mean "banAfter"/,
      ],
      [
        { accounts: [{ apiKey: "k", secretKey: "s", balance: {} }] },
        /^Invalid accounts\[0\]\.balance: .*did you mean "balances"/,
      ],
      [
        { markets: [{ symbol: "BTCUSDT", tick: "0.01" }] },
        /^Invalid markets\[0\]\.tick: unknown option/,
      ],
      [
        { faults: [{ name: "stall", at: 10, duration: 5 }] },
        /^Invalid faults\[0\]\.duration: unknown option/,
      ],
      [
        { faults: [{ name: "stall", at: 10, targte: "spot" }] },
        /faults\[0\]\.targte: .*"target"/,
      ],
    ];
    for (const [options, re] of cases) {
      await assertRejects(() => startEmulator(options as EmulatorOptions), TypeError, undefined, String(re));
      await startEmulator(options as EmulatorOptions).then(
        (e) => e.close().then(() => Promise.reject(new Error(`accepted ${JSON.stringify(options)}`))),
        (e: Error) => {
          if (!re.test(e.message)) throw new Error(`${e.message} does not match ${re}`);
        },
      );
    }
  });

  it("the handle's methods: inject, book, transfer", async () => {
    await using emu = await startEmulator({
      paused: true,
      accounts: [{ apiKey: "k1", secretKey: "s1" }],
    });
    // deno-lint-ignore no-explicit-any
    const e = emu as any;
    assertThrows(
      () => e.inject({ name: "stall", durationMS: 5 }),
      TypeError,
      'fault.durationMS: unknown option (did you mean "durationMs"?)',
    );
    assertThrows(() => e.inject({ name: "drop", at: 5 }), TypeError, "fault.at: unknown option");
    assertThrows(
      () => e.book("BTCUSDT", { markt: "spot" }),
      TypeError,
      'options.markt: unknown option (did you mean "market"?)',
    );
    assertThrows(
      () => e.transfer("k1", { asset: "BTC", delta: "1", note: "x" }),
      TypeError,
      "change.note: unknown option",
    );
    // today's field checks stay
    assertThrows(() => e.inject({ name: "stall", durationMs: -1 }), RangeError, "durationMs");
    assertEquals(emu.book("BTCUSDT", { market: "spot", limit: 1 }).bids.length, 1);
  });
});
