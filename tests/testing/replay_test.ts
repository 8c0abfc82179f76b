import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { startEmulator } from "../../src/testing/mod.ts";
import { readFileSync } from "node:fs";
import { projectPath, readSharedText } from "../_data.ts";
import { connect, getJson } from "./_ws.ts";

function recording(name: string) {
  return {
    ws: readSharedText(`depth/${name}.ws.1.0`),
    http: readSharedText(`depth/${name}.http.0.0`),
    exchangeInfo: readSharedText(`depth/${name}.0`),
  };
}

/** The COIN-M recording made from the emulator's own output (tests/_fixtures/coinm/make_recording.ts). */
function coinmRecording() {
  const read = (ext: string) =>
    readFileSync(projectPath(`tests/_fixtures/coinm/BINANCE_DELIVERY${ext}`), "utf8");
  return { ws: read(".ws.1.0"), http: read(".http.0.0"), exchangeInfo: read(".0") };
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
      await emu.replayDone;
      // everything was sent: the socket yields exactly the recording, nothing more can follow
      await c.waitFor(() => c.frames.length >= want.frames.length, 5000);
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
      await emu.replayDone;
      await a.waitFor(() => a.frames.length >= wantPub.length, 5000);
      await b.waitFor(() => b.frames.length >= wantMkt.length, 5000);
      assertEquals(a.frames, wantPub);
      assertEquals(b.frames, wantMkt);
      assert(wantPub.length > 700 && wantMkt.length > 100);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("COIN-M: /dapi/v1 and coinmWsUrl serve the recording; the simulated COIN-M markets are off", async () => {
    const rec = coinmRecording();
    const want = recorded(rec.ws);
    await using emu = await startEmulator({ replay: { coinm: rec, speed: Infinity } });
    const streams = new URL(want.url).searchParams.get("streams")!;
    const c = await connect(`${emu.coinmWsUrl}/stream?streams=${streams}`);
    try {
      await emu.replayDone;
      await c.waitFor(() => c.frames.length >= want.frames.length, 5000);
      assertEquals(c.frames, want.frames);
      assert(want.frames.length > 300);
    } finally {
      await c.close();
    }
    const snap = rec.http.split("\n")[0];
    const depth = await fetch(`${emu.futuresRestUrl}/dapi/v1/depth?symbol=BCHUSD_PERP&limit=1000`);
    assertEquals(await depth.text(), snap.slice(snap.indexOf(": {") + 2));
    const info = await (await fetch(`${emu.futuresRestUrl}/dapi/v1/exchangeInfo`)).text();
    assertEquals(info, rec.exchangeInfo.slice(rec.exchangeInfo.indexOf(": {") + 2).trimEnd());
    assertEquals((await getJson(`${emu.futuresRestUrl}/dapi/v1/depth?symbol=BTCUSD_PERP`)).body.code, -1121);
    assertEquals(
      (await getJson(`${emu.futuresRestUrl}/dapi/v1/ticker/price?symbol=BTCUSD_PERP`)).body.code,
      -1121,
    );
    // the other venues keep simulating
    assertEquals((await getJson(`${emu.restUrl}/api/v3/ticker/price?symbol=BTCUSDT`)).status, 200);
  });

  it("COIN-M: a raw /ws connection gets the data members of its stream, in order", async () => {
    const rec = coinmRecording();
    await using emu = await startEmulator({ replay: { coinm: rec, speed: Infinity, autoStart: false } });
    const c = await connect(`${emu.coinmWsUrl}/ws/ltcusd_perp@depth@100ms`);
    try {
      emu.startReplay();
      await emu.replayDone;
      const want = recorded(rec.ws).frames.filter((f) => f.startsWith('{"stream":"ltcusd_perp@depth@100ms"'))
        .map((f) => f.slice(f.indexOf(',"data":') + 8, -1));
      await c.waitFor(() => c.frames.length >= want.length, 5000);
      assertEquals(c.frames, want);
      let pu = -1;
      for (const f of c.frames) {
        const d = JSON.parse(f);
        if (pu >= 0) assertEquals(d.pu, pu, "pu chains the recorded events");
        pu = d.u;
      }
    } finally {
      await c.close();
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

  it("replayDone: resolved without replay, pending until playback starts, resolved once drained", async () => {
    const mark = async (p: Promise<void>) => {
      let state = "pending";
      p.then(() => state = "done");
      await new Promise((r) => setTimeout(r, 0));
      return state;
    };
    {
      await using plain = await startEmulator({ paused: true });
      assertEquals(await mark(plain.replayDone), "done");
    }
    const rec = recording("BINANCE");
    await using emu = await startEmulator({ replay: { spot: rec, speed: Infinity, autoStart: false } });
    const c = await connect(`${emu.wsUrl}/ws/nknusdt@depth@100ms`);
    try {
      await new Promise((r) => setTimeout(r, 20));
      assertEquals(await mark(emu.replayDone), "pending", "not started: nothing is replayed");
      emu.startReplay();
      await emu.replayDone;
      const n = recorded(rec.ws).frames.filter((f) => f.startsWith('{"stream":"nknusdt@depth@100ms"')).length;
      await c.waitFor(() => c.frames.length >= n, 5000);
      assertEquals(c.frames.length, n);
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
