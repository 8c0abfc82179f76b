import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { startEmulator } from "../../src/testing/mod.ts";
import { readSharedText } from "../_data.ts";
import { connect, getJson, sleep } from "./_ws.ts";

function recording(name: string) {
  return {
    ws: readSharedText(`depth/${name}.ws.1.0`),
    http: readSharedText(`depth/${name}.http.0.0`),
    exchangeInfo: readSharedText(`depth/${name}.0`),
  };
}

function recorded(ws: string): { url: string; frames: string[] } {
  const lines = ws.split("\n").filter((l) => l.trim() !== "");
  return { url: lines[0].split(" <-> ")[0], frames: lines.slice(1).map((l) => l.slice(l.indexOf(": ") + 2)) };
}

describe("replay of recorded Binance sessions", () => {
  it("spot: the combined stream yields exactly the recorded frames; REST serves the recorded data", async () => {
    const rec = recording("BINANCE");
    const want = recorded(rec.ws);
    await using emu = await startEmulator({ replay: { spot: rec, speed: Infinity } });
    const streams = new URL(want.url).searchParams.get("streams")!;
    const c = await connect(`${emu.wsUrl}/stream?streams=${streams}`);
    try {
      await c.waitFor(() => c.frames.length >= want.frames.length, 5000);
      await sleep(50);
      assertEquals(c.frames.length, want.frames.length);
      assertEquals(c.frames, want.frames);
    } finally {
      await c.close();
    }
    const depth = await fetch(`${emu.restUrl}/api/v3/depth?symbol=NKNUSDT&limit=1000`);
    const recordedSnap = rec.http.split("\n")[0];
    assertEquals(await depth.text(), recordedSnap.slice(recordedSnap.indexOf(": {") + 2));
    const info = (await getJson(`${emu.restUrl}/api/v3/exchangeInfo`)).body;
    assertEquals(info.serverTime, 1633998511098);
    assertEquals((await getJson(`${emu.restUrl}/api/v3/depth?symbol=NOPE`)).body.code, -1121);
  });

  it("spot: a client syncs the recorded NKNUSDT book with the documented algorithm", async () => {
    await using emu = await startEmulator({ replay: { spot: recording("BINANCE"), speed: Infinity } });
    const c = await connect(`${emu.wsUrl}/ws/nknusdt@depth@100ms`);
    try {
      await c.waitFor(() => c.frames.length >= 40, 5000);
      const snap = (await getJson(`${emu.restUrl}/api/v3/depth?symbol=NKNUSDT&limit=1000`)).body;
      let X = -1;
      let applied = 0;
      for (const f of c.frames) {
        const d = JSON.parse(f);
        if (d.u <= snap.lastUpdateId) continue;
        if (X < 0) assert(d.U <= snap.lastUpdateId + 1 && snap.lastUpdateId + 1 <= d.u);
        else assertEquals(d.U, X + 1);
        X = d.u;
        applied++;
      }
      assert(applied > 10);
    } finally {
      await c.close();
    }
  });

  it("USD-M: /public and /market connections get exactly their category's recorded frames", async () => {
    const rec = recording("BINANCE_FUTURES");
    const want = recorded(rec.ws);
    await using emu = await startEmulator({ replay: { usdm: rec, speed: Infinity, autoStart: false } });
    const all = new URL(want.url).searchParams.get("streams")!.split("/");
    const pub = all.filter((s) => s.includes("@depth") || s.includes("@bookTicker"));
    const mkt = all.filter((s) => !pub.includes(s));
    const a = await connect(`${emu.futuresWsUrl}/public/stream?streams=${pub.join("/")}`);
    const b = await connect(`${emu.futuresWsUrl}/market/stream?streams=${mkt.join("/")}`);
    try {
      const isPub = (f: string) => pub.includes(JSON.parse(f).stream);
      const wantPub = want.frames.filter(isPub);
      const wantMkt = want.frames.filter((f) => !isPub(f));
      emu.startReplay();
      await a.waitFor(() => a.frames.length >= wantPub.length, 5000);
      await b.waitFor(() => b.frames.length >= wantMkt.length, 5000);
      await sleep(50);
      assertEquals(a.frames, wantPub);
      assertEquals(b.frames, wantMkt);
      assert(wantPub.length > 700 && wantMkt.length > 100);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("original pace (accelerated 50×) spreads the ~30 s recording over about 0.6 s", async () => {
    const rec = recording("BINANCE");
    const want = recorded(rec.ws);
    await using emu = await startEmulator({ replay: { spot: rec, speed: 50 } });
    const c = await connect(`${emu.wsUrl}/stream?streams=${new URL(want.url).searchParams.get("streams")}`);
    try {
      const t0 = Date.now();
      await c.waitFor(() => c.frames.length >= want.frames.length, 5000);
      const elapsed = Date.now() - t0;
      assert(elapsed >= 400 && elapsed < 3000, `elapsed ${elapsed} ms`);
    } finally {
      await c.close();
    }
  });

  it("malformed recordings are rejected with SyntaxError/TypeError before anything starts", async () => {
    await assertRejects(
      () => startEmulator({ replay: { spot: { ws: "no connect line" } } }),
      SyntaxError,
      "replay.spot.ws",
    );
    await assertRejects(() => startEmulator({ replay: { spot: {} as never } }), TypeError, "replay.spot.ws");
    await assertRejects(() => startEmulator({ replay: { speed: 0 } }), RangeError, "replay.speed");
  });
});
