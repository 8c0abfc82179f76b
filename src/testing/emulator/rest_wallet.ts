/**
 * Wallet REST routes (`/sapi/v1`): system and account status, coin configuration, deposit
 * address, deposit and withdraw history, withdraw, asset detail, trade fee and daily account
 * snapshots, with Binance's weights (IP or per-account pool).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Hono } from "hono";
import { ApiError, badSymbol, intParam, missingParam } from "./api_error.ts";
import type { Core, Trading } from "./core.ts";
import type { Json } from "./payloads.ts";
import { runRest } from "./rest_kit.ts";
import { signedKit } from "./signed_kit.ts";
import { binanceDate, coinName, networksOf, type WalletRecord } from "./wallet.ts";

const EXPLORERS: Record<string, string> = {
  BTC: "https://mempool.space/address/",
  ETH: "https://etherscan.io/address/",
  BSC: "https://bscscan.com/address/",
  TRX: "https://tronscan.org/#/address/",
};

/** Registers the wallet routes. */
export function registerWalletRoutes(app: Hono, core: Core, t: Trading): void {
  const { signed } = signedKit(core, t);
  const w = t.wallet;
  const coins = (apiKey: string): string[] => {
    const set = new Set(t.spotAccount(apiKey).balances.keys());
    for (const m of core.hub.markets("spot")) {
      set.add(m.spec.baseAsset);
      set.add(m.spec.quoteAsset);
    }
    return [...set].sort();
  };
  const filterTime = (p: URLSearchParams) => {
    const start = intParam(p, "startTime") ?? 0;
    const end = intParam(p, "endTime") ?? Infinity;
    const offset = intParam(p, "offset") ?? 0;
    const limit = Math.min(intParam(p, "limit") ?? 1000, 1000);
    return (list: WalletRecord[]) =>
      list.filter((r) => r.time >= start && r.time <= end).sort((a, b) => b.time - a.time).slice(
        offset,
        offset + limit,
      );
  };

  app.get(
    "/sapi/v1/system/status",
    (c) => runRest(core, c, "sapi", 1, () => ({ body: { status: 0, msg: "normal" } })),
  );
  app.get("/sapi/v1/account/status", signed("sapi", 1, () => ({ data: "Normal" })));
  app.get(
    "/sapi/v1/capital/config/getall",
    signed("sapi", 10, (k) =>
      coins(k).map((coin) => {
        const b = t.spotAccount(k).get(coin);
        return {
          coin,
          depositAllEnable: true,
          withdrawAllEnable: true,
          name: coinName(coin),
          free: b.free.toFixed(8),
          locked: b.locked.toFixed(8),
          freeze: "0",
          withdrawing: "0",
          ipoing: "0",
          ipoable: "0",
          storage: "0",
          isLegalMoney: false,
          trading: true,
          networkList: networksOf(coin).map((n, i) => ({
            network: n.network,
            coin,
            withdrawIntegerMultiple: "0.00000001",
            isDefault: i === 0,
            depositEnable: true,
            withdrawEnable: true,
            depositDesc: "",
            withdrawDesc: "",
            specialTips: "",
            name: n.name,
            resetAddressStatus: false,
            addressRegex: n.address.prefix === "0x" ? "^(0x)[0-9A-Fa-f]{40}$" : "",
            memoRegex: "",
            withdrawFee: n.withdrawFee,
            withdrawMin: n.withdrawMin,
            withdrawMax: "9999999999.99999999",
            minConfirm: n.minConfirm,
            unLockConfirm: 0,
            sameAddress: false,
            estimatedArrivalTime: 5,
            busy: false,
          })),
        };
      })),
  );
  app.get(
    "/sapi/v1/capital/deposit/address",
    signed("sapi", 10, (k, r) => {
      const coin = r.params.get("coin");
      if (!coin) throw missingParam("coin");
      const net = w.network(coin, r.params.get("network"));
      const address = w.address(k, coin, net);
      return { address, coin, tag: "", url: EXPLORERS[net.network] + address };
    }),
  );
  app.get(
    "/sapi/v1/capital/deposit/hisrec",
    signed("sapi", 1, (k, r) => {
      const coin = r.params.get("coin");
      const status = intParam(r.params, "status");
      return filterTime(r.params)(
        w.records.filter((x) =>
          x.apiKey === k && x.kind === "deposit" && (coin === null || x.coin === coin) &&
          (status === undefined || status === 1)
        ),
      ).map((x) => ({
        id: x.id,
        amount: x.amount.toFixed(8),
        coin: x.coin,
        network: x.network,
        status: 1,
        address: x.address,
        addressTag: "",
        txId: x.txId,
        insertTime: x.time,
        completeTime: x.time,
        transferType: 0,
        confirmTimes: "1/1",
        unlockConfirm: 0,
        walletType: 0,
      }));
    }),
  );
  app.get(
    "/sapi/v1/capital/withdraw/history",
    signed("sapiUid", 18_000, (k, r) => {
      const coin = r.params.get("coin");
      const woid = r.params.get("withdrawOrderId");
      const ids = r.params.get("idList")?.split(",");
      const status = intParam(r.params, "status");
      return filterTime(r.params)(
        w.records.filter((x) =>
          x.apiKey === k && x.kind === "withdraw" && (coin === null || x.coin === coin) &&
          (woid === null || x.withdrawOrderId === woid) && (ids === undefined || ids.includes(x.id)) &&
          (status === undefined || status === 6)
        ),
      ).map((x) => ({
        id: x.id,
        amount: x.amount.minus(x.fee).toFixed(8),
        transactionFee: x.fee.toFixed(8),
        coin: x.coin,
        status: 6,
        address: x.address,
        txId: x.txId,
        applyTime: binanceDate(x.time),
        network: x.network,
        transferType: 0,
        ...(x.withdrawOrderId ? { withdrawOrderId: x.withdrawOrderId } : {}),
        info: "",
        confirmNo: 1,
        walletType: 0,
        txKey: "",
        completeTime: binanceDate(x.time),
      }));
    }),
  );
  app.post(
    "/sapi/v1/capital/withdraw/apply",
    signed("sapiUid", 600, (k, r) => {
      const coin = r.params.get("coin") ?? "";
      const acc = t.spotAccount(k);
      const amount = new Decimal(
        /^\d{1,20}(\.\d{1,8})?$/.test(r.params.get("amount") ?? "") ? r.params.get("amount")! : "0",
      );
      // validate everything before the balance check, as Binance does
      const rec = w.withdraw(k, r.params, r.now);
      if (acc.get(coin).free.lt(amount)) {
        w.records.pop();
        throw new ApiError(-4026, "User has insufficient balance");
      }
      t.spotMove(k, coin, amount.neg());
      return { id: rec.id };
    }),
  );
  app.get(
    "/sapi/v1/asset/assetDetail",
    signed("sapi", 1, (k, r) => {
      const asset = r.params.get("asset");
      const list = asset ? [asset] : coins(k);
      return Object.fromEntries(list.map((a) => {
        const n = networksOf(a)[0];
        return [a, {
          minWithdrawAmount: n.withdrawMin,
          depositStatus: true,
          withdrawFee: Number(n.withdrawFee),
          withdrawStatus: true,
        }];
      })) as Json;
    }),
  );
  app.get(
    "/sapi/v1/asset/tradeFee",
    signed("sapi", 1, (_k, r) => {
      const s = r.params.get("symbol");
      if (s !== null && !core.hub.market("spot", s)) throw badSymbol();
      // the emulator charges no commission
      return core.hub.markets("spot").filter((m) => s === null || m.spec.symbol === s).map((m) => ({
        symbol: m.spec.symbol,
        makerCommission: "0",
        takerCommission: "0",
      }));
    }),
  );
  app.get(
    "/sapi/v1/accountSnapshot",
    signed("sapi", 2400, (k, r) => {
      const type = r.params.get("type");
      if (!type) throw missingParam("type");
      if (type !== "SPOT" && type !== "MARGIN" && type !== "FUTURES") {
        throw new ApiError(-1130, "Data sent for parameter 'type' is not valid.");
      }
      const limit = Math.max(7, Math.min(intParam(r.params, "limit") ?? 7, 30));
      const start = intParam(r.params, "startTime") ?? 0;
      const end = intParam(r.params, "endTime") ?? Infinity;
      const kind = type.toLowerCase() as "spot" | "margin" | "futures";
      const vos = (w.snapshots.get(k) ?? []).filter((s) => s.updateTime >= start && s.updateTime <= end)
        .slice(-limit).map((s) => ({ data: s[kind], type: kind, updateTime: s.updateTime }));
      return { code: 200, msg: "", snapshotVos: vos };
    }),
  );
}
