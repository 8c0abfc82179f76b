/**
 * Sub-account endpoints through `BinanceRestClient` against the emulator: a master with one
 * configured sub-account (its own key and balances) and virtual ones it creates, universal
 * transfers that move real balances (seen through the sub-account's own key), transfer history,
 * sub-account assets, API key IP restrictions (enforced on the key's signed calls) and permissions, weights and Binance's error codes,
 * and the venue gate (no `/sapi` on a testnet: an error before any request).
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { apiError } from "./_api_error.ts";

const MASTER = { apiKey: "masterKey1", secretKey: "masterSecret1" };
const SUB = { apiKey: "subKey1", secretKey: "subSecret1" };
const SUB_EMAIL = "desk1@example.com";

let emu: Emulator;
let master: BinanceRestClient;
let sub: BinanceRestClient;

before(async () => {
  emu = await startEmulator({
    seed: 5,
    paused: true,
    accounts: [
      { ...MASTER, balances: { USDT: "1000", BTC: "1" } },
      { ...SUB, balances: { USDT: "5" }, subAccountOf: MASTER.apiKey, email: SUB_EMAIL },
    ],
  });
  master = new BinanceRestClient({
    baseUrl: emu.restUrl,
    apiKey: MASTER.apiKey,
    apiSecret: MASTER.secretKey,
  });
  sub = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: SUB.apiKey, apiSecret: SUB.secretKey });
});
after(() => emu.close());

const free = async (c: BinanceRestClient, asset: string): Promise<string | undefined> =>
  (await c.getAccount()).balances.find((b) => b.asset === asset)?.free;

describe("sub-accounts (emulator)", () => {
  it("lists sub-accounts one per page by default and creates virtual ones", async () => {
    const first = await master.getSubAccountList();
    assertEquals(first.subAccounts.map((s) => s.email), [SUB_EMAIL]);
    assertEquals(first.subAccounts[0].isFreeze, false);
    const { email } = await master.createVirtualSubAccount({ subAccountString: "Bots" });
    assert(/^bots_virtual@[a-z]{8}noemail\.com$/.test(email), email);
    const all = await master.getSubAccountList({ limit: 200 });
    assertEquals(all.subAccounts.map((s) => s.email), [SUB_EMAIL, email]);
    assertEquals((await master.getSubAccountList({ page: 2 })).subAccounts.map((s) => s.email), [email]);
    assertEquals((await master.getSubAccountList({ email })).subAccounts.length, 1);
    // the sub-account itself has no sub-accounts
    assertEquals((await sub.getSubAccountList()).subAccounts, []);
    await apiError(master.createVirtualSubAccount({ subAccountString: "bots" }), -1130);
    await apiError(master.createVirtualSubAccount({ subAccountString: "no spaces" }), -1130);
    // the list and create weigh 1 on the /sapi IP pool
    assert((master.usage.sapi?.weight["IP-1M"] ?? 0) >= 1);
  });

  it("moves balances between master and sub-account wallets", async () => {
    const t = await master.makeUniversalTransfer({
      toEmail: SUB_EMAIL,
      fromAccountType: "SPOT",
      toAccountType: "SPOT",
      asset: "USDT",
      amount: "100.5",
      clientTranId: "desk-1",
    });
    assertEquals(t.clientTranId, "desk-1");
    assert(t.tranId > 0);
    assertEquals(await free(master, "USDT"), "899.50000000");
    // the sub-account's own key sees the transfer in its spot account
    assertEquals(await free(sub, "USDT"), "105.50000000");
    assertEquals(
      (await master.getSubAccountAssets({ email: SUB_EMAIL })).balances,
      [{ freeze: "0", withdrawing: "0", asset: "USDT", free: "105.5", locked: "0" }],
    );
    // sub-account spot to the master's USDⓈ-M wallet
    const before = (await master.futuresAccountBalance()).find((b) => b.asset === "USDT")!;
    await master.makeUniversalTransfer({
      fromEmail: SUB_EMAIL,
      fromAccountType: "SPOT",
      toAccountType: "USDT_FUTURE",
      asset: "USDT",
      amount: "5.5",
    });
    const afterBalance = (await master.futuresAccountBalance()).find((b) => b.asset === "USDT")!;
    assertEquals(Number(afterBalance.balance) - Number(before.balance), 5.5);
    assertEquals(await free(sub, "USDT"), "100.00000000");
    // the UID weight of the transfer (360) shows in the UID header
    assert((master.usage.sapi?.weight["UID-1M"] ?? 0) >= 720);
  });

  it("refuses what Binance refuses, moving nothing", async () => {
    const base = { fromAccountType: "SPOT", toAccountType: "SPOT", asset: "USDT" } as const;
    await apiError(master.makeUniversalTransfer({ ...base, amount: "1" }), -1128);
    await apiError(master.makeUniversalTransfer({ ...base, toEmail: SUB_EMAIL, amount: "5000" }), -5013);
    await apiError(
      master.makeUniversalTransfer({ ...base, toEmail: "nobody@example.com", amount: "1" }),
      -1130,
    );
    await apiError(
      master.makeUniversalTransfer({ ...base, toEmail: SUB_EMAIL, amount: "1", clientTranId: "desk-1" }),
      -1130,
    );
    await apiError(
      master.makeUniversalTransfer({
        ...base,
        toEmail: SUB_EMAIL,
        amount: "1",
        toAccountType: "COIN_FUTURE",
        fromAccountType: "USDT_FUTURE",
      }),
      -1130,
    );
    await apiError(master.getSubAccountAssets({ email: "nobody@example.com" }), -1130);
    assertEquals(await free(master, "USDT"), "899.50000000");
    assertEquals(await free(sub, "USDT"), "100.00000000");
  });

  it("serves a virtual sub-account's spot wallet and the transfer history", async () => {
    const { email } = await master.createVirtualSubAccount({ subAccountString: "vault" });
    await master.makeUniversalTransfer({
      toEmail: email,
      fromAccountType: "SPOT",
      toAccountType: "SPOT",
      asset: "BTC",
      amount: "0.25",
      clientTranId: "vault-1",
    });
    assertEquals((await master.getSubAccountAssets({ email })).balances.map((b) => [b.asset, b.free]), [[
      "BTC",
      "0.25",
    ]]);
    // a virtual sub-account has no futures wallet here
    await apiError(
      master.makeUniversalTransfer({
        toEmail: email,
        fromAccountType: "SPOT",
        toAccountType: "USDT_FUTURE",
        asset: "USDT",
        amount: "1",
      }),
      -1130,
    );
    const all = await master.getUniversalTransferHistory();
    assertEquals(all.totalCount, 3);
    assertEquals(all.result.map((r) => r.clientTranId), ["vault-1", "", "desk-1"]);
    assertEquals(all.result[0].toEmail, email);
    assertEquals(all.result[0].status, "SUCCESS");
    const toDesk = await master.getUniversalTransferHistory({ toEmail: SUB_EMAIL });
    assertEquals(toDesk.result.map((r) => [r.amount, r.fromAccountType, r.toAccountType]), [[
      "100.5",
      "SPOT",
      "SPOT",
    ]]);
    assertEquals((await master.getUniversalTransferHistory({ clientTranId: "vault-1" })).totalCount, 1);
    assertEquals((await master.getUniversalTransferHistory({ limit: 1, page: 2 })).result.length, 1);
    await apiError(master.getUniversalTransferHistory({ fromEmail: SUB_EMAIL, toEmail: email }), -1128);
  });

  it("restricts a sub-account API key to trusted IPs", async () => {
    const ref = { email: SUB_EMAIL, subAccountApiKey: SUB.apiKey };
    const start = await master.getSubAccountApiIpRestriction(ref);
    assertEquals([start.ipRestrict, start.ipList], ["false", []]);
    assertEquals((await sub.getAccountApiPermissions()).ipRestrict, false);
    const set = await master.addSubAccountApiIpRestriction({
      ...ref,
      status: "2",
      ipAddress: "127.0.0.1,10.0.0.7",
    });
    assertEquals([set.status, set.ipList], ["2", ["127.0.0.1", "10.0.0.7"]]);
    const now = await master.getSubAccountApiIpRestriction(ref);
    assertEquals([now.ipRestrict, now.ipList], ["true", ["127.0.0.1", "10.0.0.7"]]);
    const p = await sub.getAccountApiPermissions();
    assertEquals([p.ipRestrict, p.enableReading, p.permitsUniversalTransfer], [true, true, true]);
    const left = await master.deleteSubAccountApiIpRestriction({ ...ref, ipAddress: "10.0.0.7" });
    assertEquals(left.ipList, ["127.0.0.1"]);
    // the emulator's clients come from 127.0.0.1: without it on the list the key is refused
    await master.deleteSubAccountApiIpRestriction({ ...ref, ipAddress: "127.0.0.1" });
    await apiError(sub.getAccount(), -2015);
    await apiError(sub.getAccountApiPermissions(), -2015);
    assertEquals((await master.addSubAccountApiIpRestriction({ ...ref, status: "1" })).status, "1");
    assertEquals((await sub.getAccountApiPermissions()).ipRestrict, false);
    assert((await sub.getAccount()).balances.length > 0);
    await apiError(master.getSubAccountApiIpRestriction({ ...ref, subAccountApiKey: MASTER.apiKey }), -1130);
    await apiError(master.addSubAccountApiIpRestriction({ ...ref, status: "3" as "1" }), -1130);
    // the restriction calls weigh 3000 each on the UID pool
    assert((master.usage.sapi?.weight["UID-1M"] ?? 0) >= 6 * 3000);
  });

  it("the emulator refuses inconsistent sub-account options", async () => {
    const a = { apiKey: "a1", secretKey: "s" };
    await assertRejects(
      () => startEmulator({ accounts: [a, { apiKey: "b1", secretKey: "s", subAccountOf: "nobody" }] }),
      RangeError,
      "accounts[1].subAccountOf",
    );
    await assertRejects(
      () => startEmulator({ accounts: [{ ...a, subAccountOf: "a1" }] }),
      RangeError,
      "accounts[0].subAccountOf",
    );
    await assertRejects(
      () => startEmulator({ accounts: [{ ...a, email: "x@y.z" }] }),
      TypeError,
      "accounts[0].email",
    );
    await assertRejects(
      () => startEmulator({ accounts: [{ ...a, optionsBalances: { USDT: "-1" } }] }),
      TypeError,
      "accounts[0].optionsBalances.USDT",
    );
  });

  it("a venue without /sapi refuses before sending", async () => {
    let sent = 0;
    const testnet = new BinanceRestClient({
      exchange: "binance.com-testnet",
      apiKey: MASTER.apiKey,
      apiSecret: MASTER.secretKey,
      fetch: () => {
        sent++;
        return Promise.resolve(new Response("{}"));
      },
    });
    await assertRejects(
      () => testnet.getSubAccountList(),
      RangeError,
      "not served by exchange binance.com-testnet",
    );
    await assertRejects(
      () =>
        testnet.makeUniversalTransfer({
          toEmail: SUB_EMAIL,
          fromAccountType: "SPOT",
          toAccountType: "SPOT",
          asset: "USDT",
          amount: "1",
        }),
      RangeError,
    );
    assertEquals(sent, 0);
  });
});
