/**
 * Simple Earn through `BinanceRestClient` against the emulator, on a clock the test moves:
 * product lists, flexible subscribe / position / redeem with rewards accrued by the second and
 * paid to spot, locked subscribe / position / early redemption / maturity, the account totals,
 * the one-per-3-seconds limit and Binance's -6xxx codes. Every balance change shows in the spot
 * account.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { apiError } from "./_api_error.ts";

const ACCOUNT = { apiKey: "earnKey1", secretKey: "earnSecret1" };
const DAY = 86_400_000;

let emu: Emulator;
let client: BinanceRestClient;
let clock = Date.UTC(2026, 0, 5, 12);

before(async () => {
  emu = await startEmulator({
    seed: 9,
    paused: true,
    now: () => clock,
    accounts: [{ ...ACCOUNT, balances: { USDT: "10000", BTC: "1" } }],
  });
  client = new BinanceRestClient({
    baseUrl: emu.restUrl,
    apiKey: ACCOUNT.apiKey,
    apiSecret: ACCOUNT.secretKey,
  });
  await client.syncTime("sapi");
});
after(() => emu.close());

/** Moves the emulator clock and the client's offset together. */
async function advance(ms: number): Promise<void> {
  clock += ms;
  await client.syncTime("sapi");
}

const spot = async (asset: string): Promise<string | undefined> =>
  (await client.getAccount()).balances.find((b) => b.asset === asset)?.free;

describe("Simple Earn (emulator)", () => {
  it("lists flexible and locked products", async () => {
    const flex = await client.getSimpleEarnFlexibleProductList({ size: 100 });
    assertEquals(flex.total, 4);
    const usdt = flex.rows.find((r) => r.asset === "USDT")!;
    assertEquals([usdt.productId, usdt.latestAnnualPercentageRate, usdt.canPurchase], [
      "USDT001",
      "0.05",
      true,
    ]);
    assertEquals(
      (await client.getSimpleEarnFlexibleProductList({ asset: "BTC" })).rows.map((r) => r.productId),
      [
        "BTC001",
      ],
    );
    const locked = await client.getSimpleEarnLockedProductList({ asset: "USDT" });
    assertEquals(locked.rows.map((r) => [r.projectId, r.detail.duration, r.detail.apr]), [
      ["Usdt*30", 30, "0.075"],
      ["Usdt*90", 90, "0.1"],
    ]);
    assertEquals(locked.rows[0].quota, { totalPersonalQuota: "100000", minimum: "0.1" });
    // paging: size 1, page 2
    assertEquals((await client.getSimpleEarnLockedProductList({ size: 1, current: 2 })).rows.length, 1);
    // the lists weigh 150 each on the /sapi IP pool
    assert((client.usage.sapi?.weight["IP-1M"] ?? 0) >= 4 * 150);
  });

  it("flexible: subscribe from spot, accrue, redeem to spot with rewards", async () => {
    const sub = await client.subscribeSimpleEarnFlexibleProduct({ productId: "USDT001", amount: "1000" });
    assertEquals(sub.success, true);
    assertEquals(await spot("USDT"), "9000.00000000");
    // one call per 3 s per account
    await apiError(client.subscribeSimpleEarnFlexibleProduct({ productId: "USDT001", amount: "1" }), -6009);
    await advance(DAY);
    const [pos] = (await client.getSimpleEarnFlexibleProductPosition({ asset: "USDT" })).rows;
    // 1000 × 5 % / 365 for one day
    assertEquals([pos.totalAmount, pos.cumulativeRealTimeRewards], ["1000.00000000", "0.13698630"]);
    await client.redeemSimpleEarnFlexibleProduct({ productId: "USDT001", amount: "400" });
    assertEquals(await spot("USDT"), "9400.13698630");
    const [left] = (await client.getSimpleEarnFlexibleProductPosition({ productId: "USDT001" })).rows;
    assertEquals([left.totalAmount, left.cumulativeRealTimeRewards], ["600.00000000", "0.00000000"]);
    await advance(3000);
    await apiError(client.redeemSimpleEarnFlexibleProduct({ productId: "USDT001", amount: "601" }), -6006);
    await client.redeemSimpleEarnFlexibleProduct({ productId: "USDT001", redeemAll: true });
    assertEquals((await client.getSimpleEarnFlexibleProductPosition()).total, 0);
    assert(Number(await spot("USDT")) > 10000);
  });

  it("refuses unknown products, small amounts and missing balance, moving nothing", async () => {
    await advance(3000);
    const before = await spot("BTC");
    await apiError(client.subscribeSimpleEarnFlexibleProduct({ productId: "DOGE001", amount: "1" }), -6003);
    await apiError(
      client.subscribeSimpleEarnFlexibleProduct({ productId: "BTC001", amount: "0.00001" }),
      -6005,
    );
    await apiError(client.subscribeSimpleEarnFlexibleProduct({ productId: "BTC001", amount: "2" }), -6012);
    await apiError(client.subscribeSimpleEarnLockedProduct({ projectId: "Btc*7", amount: "0.1" }), -6020);
    await apiError(client.subscribeSimpleEarnLockedProduct({ projectId: "Btc*30", amount: "11" }), -6014);
    await apiError(client.redeemSimpleEarnFlexibleProduct({ productId: "BTC001", redeemAll: true }), -6003);
    await apiError(
      client.subscribeSimpleEarnFlexibleProduct({
        productId: "BTC001",
        amount: "0.1",
        sourceAccount: "FUND",
      }),
      -1130,
    );
    assertEquals(await spot("BTC"), before);
  });

  it("locked: subscribe, position, early redemption, maturity and the account totals", async () => {
    await advance(3000);
    const early = await client.subscribeSimpleEarnLockedProduct({ projectId: "Btc*30", amount: "0.2" });
    await advance(3000);
    const held = await client.subscribeSimpleEarnLockedProduct({ projectId: "Usdt*30", amount: "3650" });
    assertEquals(await spot("BTC"), "0.80000000");
    const positions = await client.getSimpleEarnLockedProductPosition();
    assertEquals(positions.rows.map((r) => [r.positionId, r.projectId, r.amount, r.status]), [
      [Number(early.positionId), "Btc*30", "0.20000000", "HOLDING"],
      [Number(held.positionId), "Usdt*30", "3650.00000000", "HOLDING"],
    ]);
    const account = await client.getSimpleEarnAccount();
    assert(Number(account.totalLockedInUSDT) > 3650, account.totalLockedInUSDT);
    assertEquals(account.totalFlexibleAmountInUSDT, "0.00000000");
    assert(Number(account.totalAmountInBTC) > 0.2);
    // early redemption: the principal only
    await advance(3000);
    await client.redeemSimpleEarnLockedProduct({ positionId: early.positionId });
    assertEquals(await spot("BTC"), "1.00000000");
    await advance(3000);
    await apiError(client.redeemSimpleEarnLockedProduct({ positionId: early.positionId }), -6003);
    // maturity: the simulator's next step after the delivery date pays principal + 30 days at 7.5 %
    const usdt = Number(await spot("USDT"));
    await advance(30 * DAY);
    emu.step();
    assertEquals(Number(await spot("USDT")) - usdt, 3650 + 3650 * 0.075 * 30 / 365);
    assertEquals((await client.getSimpleEarnLockedProductPosition()).total, 0);
  });
});
