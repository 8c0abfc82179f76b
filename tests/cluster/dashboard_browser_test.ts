// The cluster dashboard as a user meets it: the page served by a router of an embedded cluster
// (emulator as Binance), opened in headless Chromium (Debian's `chromium`, driven by
// puppeteer-core). It shows LIVE tiles with the true top of book, a tile turns red (OUT_OF_SYNC)
// after an injected depth gap while snapshots fail, a market added from the page appears and goes
// LIVE, the API builder's snippets run (TypeScript on this runtime, curl, Python through a token
// proxy), credentials added from the page show masked (the key and secret in no DOM and no
// response) and are removed, only tiles on screen are polled at the selected rate, a depth cache
// removed from the page is gone, and a tile turns yellow when no replica is left; a screenshot is
// written to .tmp/dashboard.png. Skipped, with the reason, when no Chromium binary is installed
// (`apt-get install chromium`; scripts/run_tests.mjs says so once, with the same lookup).
import { after, before, describe, it } from "node:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cwd } from "node:process";
import { assert, assertEquals, assertMatch } from "@std/assert";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { dcId } from "../../src/cluster/protocol.ts";
import { type SteppedCluster, steppedCluster, until } from "./_cluster.ts";
import { chromiumPath } from "../../scripts/_chromium.mjs";
import {
  has,
  pythonShape,
  runCurlSnippet,
  runPythonSnippet,
  runTypeScriptSnippet,
  SNIPPET_PACKAGE,
  ubdccClientApi,
} from "./_snippets.ts";

const CHROMIUM = chromiumPath();
const TOKEN = "dashboard-test-token-0123456789";
const EX = "binance.com";
const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

let s: SteppedCluster;
let browser: Browser;
let page: Page;
/** Every request the page made (URL, when seen) and every response body it received. */
const requests: { url: URL; at: number }[] = [];
const bodies: Promise<string>[] = [];

function liveCount(market: string): number {
  const state = s.cluster.router.state;
  let n = 0;
  for (const r of state.replicas(dcId(EX, market)).values()) {
    const node = state.nodes.get(r.nodeId);
    if (r.state === "LIVE" && node && state.isAlive(node)) n++;
  }
  return n;
}

/** The state attribute of a market's tile ("" when it has none). */
function tileState(market: string): Promise<string> {
  return page.evaluate(
    (k) => document.querySelector(`.tile[data-key="${k}"]`)?.getAttribute("data-state") ?? "",
    `${EX} ${market}`,
  );
}

async function waitTile(market: string, state: string, timeoutMs: number): Promise<void> {
  await until(async () => (await tileState(market)) === state, timeoutMs, `tile ${market} ${state}`);
}

const tileSel = (market: string) => `.tile[data-key="${EX} ${market}"]`;

/** Book reads (`get_asks`) the page made for a market so far, with their times. */
function asksReads(market: string): number[] {
  return requests.filter((r) => r.url.pathname === "/get_asks" && r.url.searchParams.get("market") === market)
    .map((r) => r.at);
}

/** Reads of any kind (asks, bids, info) the page made for a market so far. */
function marketReads(market: string): number {
  return requests.filter((r) => r.url.searchParams.get("market") === market).length;
}

/** The markets whose tiles the page counts as on screen. */
function visibleMarkets(): Promise<string[]> {
  return page.evaluate("[...state.visible].map((k) => k.split(' ')[1]).sort()") as Promise<string[]>;
}

/** Scrolls a tile to the top of the (small) viewport and waits until it alone counts as visible. */
async function showOnly(market: string): Promise<void> {
  await page.$eval(tileSel(market), (e) => e.scrollIntoView({ block: "start" }));
  await until(async () => (await visibleMarkets()).join() === market, 10_000, `only ${market} visible`);
}

/** Waits until the market got `n` more book reads than now; returns the times of those reads. */
async function nextReads(market: string, n: number, timeoutMs: number): Promise<number[]> {
  const from = asksReads(market).length;
  await until(() => asksReads(market).length >= from + n, timeoutMs, `${n} reads of ${market}`);
  return asksReads(market).slice(from);
}

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

async function routerGet(path: string): Promise<Record<string, unknown>> {
  return await (await fetch(`${s.cluster.url}${path}`, { headers: auth })).json();
}

describe("cluster dashboard in headless Chromium", {
  skip: CHROMIUM ? false : "chromium not found (install: apt-get install chromium)",
}, () => {
  before(async () => {
    s = await steppedCluster(3, { apiToken: TOKEN });
    const [a, b] = s.markets;
    const res = await fetch(`${s.cluster.url}/create_depthcaches`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        exchange: EX,
        markets: [a, b],
        desired_quantity: 2,
        update_interval: null,
        refresh_interval: null,
      }),
    });
    assertEquals((await res.json()).result, "OK");
    await s.cluster.waitLive(EX, a, 2, 30_000);
    await s.cluster.waitLive(EX, b, 2, 30_000);
    browser = await puppeteer.launch({
      executablePath: CHROMIUM!,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on("request", (r) => requests.push({ url: new URL(r.url()), at: Date.now() }));
    page.on("response", (r) => bodies.push(r.text().catch(() => "")));
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it("is served by the router without the token; the API refuses calls without it", async () => {
    const res = await fetch(`${s.cluster.url}/dashboard`);
    assertEquals(res.status, 200);
    assertMatch(res.headers.get("content-type") ?? "", /^text\/html/);
    assertMatch(await res.text(), /depth-cache cluster/);
    assertEquals((await fetch(`${s.cluster.url}/get_depthcache_list`)).status, 401);
  });

  it("shows LIVE tiles with the book once the token is entered (kept in sessionStorage)", async () => {
    await page.goto(`${s.cluster.url}/dashboard`);
    await page.type("#token", TOKEN);
    await page.click("#connect");
    for (const m of s.markets.slice(0, 2)) await waitTile(m, "LIVE", 20_000);
    assertEquals(await page.evaluate(() => sessionStorage.getItem("ubc.token")), TOKEN);
    const rows = await page.$$eval(`.tile[data-key="${EX} ${s.markets[0]}"] tr`, (trs) => trs.length);
    assertEquals(rows, 6); // top 3 asks and top 3 bids
    const meta = await page.$eval(
      `.tile[data-key="${EX} ${s.markets[0]}"] .info`,
      (e) => e.textContent,
    );
    assertMatch(meta ?? "", /spread/);
    assertMatch(meta ?? "", /LIVE/);
    // the page stays logged in across a reload of the same tab
    await page.reload();
    await waitTile(s.markets[0], "LIVE", 20_000);
  });

  it("an out-of-sync tile turns red after an injected gap, and green again", async () => {
    const market = s.markets[1];
    const emu = s.cluster.emulator!;
    const broken = emu.inject({ name: "serverError", target: "spot", status: 503, count: 100_000 });
    try {
      // a gap reaches each replica with its next diff event; on a loaded machine a replica's
      // stream may be between events for a while, so the gap is injected again until both saw one
      for (let k = 0; k < 5 && liveCount(market) > 0; k++) {
        emu.inject({ name: "depthGap", target: "spot", symbol: market, count: 1 });
        await until(() => liveCount(market) === 0, 4_000, "both replicas out of sync").catch(() => {});
      }
      await until(() => liveCount(market) === 0, 5_000, "both replicas out of sync").catch((e) => {
        const reps = [...s.cluster.router.state.replicas(dcId(EX, market)).values()];
        throw new Error(`${e.message}: ${reps.map((r) => `${r.nodeId} ${r.state}`).join(", ")}`);
      });
      await waitTile(market, "OUT_OF_SYNC", 20_000);
      const colour = await page.$eval(
        `.tile[data-key="${EX} ${market}"]`,
        (e) => getComputedStyle(e).borderLeftColor,
      );
      assertEquals(colour, "rgb(214, 69, 69)"); // --oos
      assertEquals(await tileState(s.markets[0]), "LIVE"); // the other market keeps serving
      mkdirSync(join(cwd(), ".tmp"), { recursive: true });
      await page.screenshot({ path: join(cwd(), ".tmp", "dashboard.png"), fullPage: true });
      assert(existsSync(join(cwd(), ".tmp", "dashboard.png")));
    } finally {
      broken.clear();
    }
    await waitTile(market, "LIVE", 30_000);
  });

  it("adds a market from the page", async () => {
    const market = s.markets[2];
    await page.select("#add-exchange", EX);
    await page.type("#add-markets", market.toLowerCase());
    await page.click("#add button[type=submit]");
    await until(async () => (await tileState(market)) !== "", 20_000, `a tile for ${market}`);
    await waitTile(market, "LIVE", 30_000);
    const info = await (await fetch(`${s.cluster.url}/get_depthcache_info?exchange=${EX}&market=${market}`, {
      headers: auth,
    })).json();
    assertEquals(info.depthcache_info.DESIRED_QUANTITY, 2);
  });

  it("the API builder's snippets are the page's and run: TypeScript, curl, Python (through a token proxy)", async () => {
    const market = s.markets[0];
    await page.click(`${tileSel(market)} .actions button`);
    const shown = await page.$eval(`${tileSel(market)} pre`, (e) => e.textContent ?? "");
    const snip = await page.evaluate(
      "((ex, m) => apiSnippets(ex, m))(" + JSON.stringify(EX) + ", " + JSON.stringify(market) + ")",
    ) as { curl: string; typescript: string; python: string };
    for (const text of [snip.curl, snip.typescript, snip.python]) {
      assert(shown.includes(text), "shown as built");
    }
    const top3 = (side: "asks" | "bids", levels: unknown) =>
      assert(
        [...s.truths.get(market)!.values()].some((t) =>
          JSON.stringify(t[side].slice(0, 3)) === JSON.stringify(levels)
        ),
        `${side} ${JSON.stringify(levels)} are the top 3 of a true book`,
      );
    // TypeScript: as printed, only `from "unicorn-binance/cluster"` pointed at the source
    assertMatch(
      snip.typescript,
      new RegExp(`^import \\{ BinanceDepthCacheClusterClient \\} from "${SNIPPET_PACKAGE}";$`, "m"),
    );
    const ts = await runTypeScriptSnippet(snip.typescript, TOKEN);
    assertEquals(ts.code, 0, ts.stderr);
    const out = JSON.parse(ts.stdout.trim().split("\n").pop()!);
    assertEquals([out.asks.length, out.bids.length], [3, 3]);
    top3("asks", out.asks);
    top3("bids", out.bids);
    assertEquals(out.replicas.filter((r: string) => r.endsWith(": LIVE")).length, 2);
    // curl (or a fetch of the same URL and header): asks, bids, info
    const [asks, bids, info] = (await runCurlSnippet(snip.curl, TOKEN)).map((b) => JSON.parse(b));
    assertEquals([asks.result, asks.asks.length, bids.result, bids.bids.length], ["OK", 3, "OK", 3]);
    assertEquals(info.depthcache_info.MARKET, market);
    if (has("python3")) {
      const shape = await pythonShape(snip.python);
      assertEquals(shape.imports, [{
        module: "unicorn_binance_local_depth_cache.cluster",
        names: ["Cluster"],
      }]);
      const api = await ubdccClientApi();
      for (const c of shape.constructs) {
        for (const k of c.keywords) assert(api.init.includes(k), `Cluster(${k}=)`);
      }
      for (const m of shape.methods) assert(api.methods.includes(m), `Cluster.${m}`);
      // as its comment says: the router refuses it without the token, a proxy adding it works
      const direct = await runPythonSnippet(snip.python, s.cluster.url, TOKEN, false);
      assertMatch(direct.stderr, /HTTP 401/);
      const proxied = await runPythonSnippet(snip.python, s.cluster.url, TOKEN, true);
      assertEquals(proxied.code, 0, proxied.stderr);
      assertMatch(proxied.stdout, /LIVE/);
    } else console.log("dashboard_browser_test: python3 not found, the Python snippet not run");
    await until(async () => (await page.$$eval("#nodes tbody tr", (r) => r.length)) === 3, 20_000, "3 nodes");
  });

  it("adds credentials from the page, shows them masked only, and removes them", async () => {
    const key = "DashPlantedKey0123456789abcdef";
    const secret = "DashPlantedSecret0123456789abcdef";
    await page.type("#cred-key", key);
    await page.type("#cred-secret", secret);
    await page.click("#add-cred button[type=submit]");
    await until(async () => (await page.$$eval("#creds tbody tr", (r) => r.length)) === 1, 20_000, "a row");
    const row = await page.$eval("#creds tbody tr", (tr) => [...tr.cells].map((c) => c.textContent));
    assertEquals(row.slice(1, 3), ["binance.com", "Dash*ef"]);
    const inputs = await page.$$eval("#add-cred input", (xs) => xs.map((x) => (x as HTMLInputElement).value));
    assertEquals(inputs, ["", "", ""], "the form is cleared");
    await page.$eval("#creds tbody tr button", (b) => (b as HTMLButtonElement).click());
    await until(async () => (await page.$$eval("#creds tbody tr", (r) => r.length)) === 0, 20_000, "no row");
    assertEquals((await routerGet("/get_credentials_list")).credentials, []);
    const html = await page.content();
    const received = (await Promise.all(bodies)).join("\n");
    assert(received.includes("Dash*ef"), "the responses were captured");
    for (const planted of [key, secret]) {
      assert(!html.includes(planted), "a planted key or secret in the DOM");
      assert(!received.includes(planted), "a planted key or secret in a response the page received");
    }
  });

  it("polls only the tiles on screen, at the selected refresh rate", async () => {
    const [a, b, c] = s.markets;
    // one column, a viewport lower than a tile: one tile on screen at a time
    await page.setViewport({ width: 400, height: 100 });
    await page.select("#rate", "1000");
    await showOnly(a);
    await nextReads(a, 2, 10_000); // reads already under way when the view changed have landed
    const before = [marketReads(b), marketReads(c)];
    const at1s = await nextReads(a, 4, 15_000);
    assertEquals([marketReads(b), marketReads(c)], before, "off-screen tiles were read");
    // the rate: about 1 s apart, then about 2 s apart (the first read after a change is immediate)
    const gap1 = median(at1s.slice(1).map((t, i) => t - at1s[i]));
    assert(gap1 > 700 && gap1 < 1700, `reads ${gap1} ms apart at 1 s`);
    await page.select("#rate", "2000");
    const at2s = (await nextReads(a, 4, 20_000)).slice(1);
    const gap2 = median(at2s.slice(1).map((t, i) => t - at2s[i]));
    assert(gap2 > 1700 && gap2 < 3000, `reads ${gap2} ms apart at 2 s`);
    // scrolled on screen, an off-screen tile is read
    await page.select("#rate", "1000");
    await showOnly(c);
    await nextReads(c, 2, 10_000);
    await page.setViewport({ width: 1280, height: 900 });
  });

  it("removes a depth cache from the page", async () => {
    const market = s.markets[2];
    await page.$eval(
      `${tileSel(market)} .actions button:nth-child(2)`,
      (e) => (e as HTMLButtonElement).click(),
    );
    await until(async () => (await tileState(market)) === "", 20_000, `the ${market} tile gone`);
    const list = (await routerGet("/get_depthcache_list")).depthcache_list as Record<string, object>;
    assertEquals(Object.keys(list[EX]).sort(), s.markets.slice(0, 2));
  });

  it("a tile turns yellow when no replica is left", async () => {
    await waitTile(s.markets[0], "LIVE", 20_000);
    for (const n of s.cluster.nodes) await n.kill();
    await waitTile(s.markets[0], "NO_REPLICA", 20_000);
    const colour = await page.$eval(tileSel(s.markets[0]), (e) => getComputedStyle(e).borderLeftColor);
    assertEquals(colour, "rgb(201, 162, 39)"); // --none
  });
});
