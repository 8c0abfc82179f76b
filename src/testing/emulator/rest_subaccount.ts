/**
 * Sub-account REST routes (`/sapi/*\/sub-account/*`) and the API key permission query
 * (`GET /sapi/v1/account/apiRestrictions`), signed and weighted as Binance documents them (IP or
 * UID pool).
 *
 * @module
 */
import type { Hono } from "hono";
import { intParam } from "./api_error.ts";
import type { Core, Trading } from "./core.ts";
import type { AccountOptions } from "./options.ts";
import { signedKit } from "./signed_kit.ts";
import { SubAccounts } from "./sub_accounts.ts";

/** Registers the sub-account routes; returns the ledger. */
export function registerSubAccountRoutes(
  app: Hono,
  core: Core,
  t: Trading,
  accounts: readonly AccountOptions[],
): SubAccounts {
  const { signed } = signedKit(core, t);
  const subs = new SubAccounts(t, accounts, () => core.now("sapi"));
  const started = core.now("sapi");

  app.get(
    "/sapi/v1/sub-account/list",
    signed("sapi", 1, (k, r) => {
      const email = r.params.get("email")?.toLowerCase();
      const freeze = r.params.get("isFreeze");
      const page = Math.max(intParam(r.params, "page") ?? 1, 1);
      const limit = Math.min(Math.max(intParam(r.params, "limit") ?? 1, 1), 200);
      const list = subs.list(k).filter((s) =>
        (email === undefined || s.email === email) && (freeze === null || freeze === "false")
      );
      return {
        subAccounts: list.slice((page - 1) * limit, page * limit).map((s) => ({
          email: s.email,
          isFreeze: false,
          createTime: s.createTime,
          isManagedSubAccount: false,
          isAssetManagementSubAccount: false,
        })),
      };
    }),
  );
  app.post(
    "/sapi/v1/sub-account/virtualSubAccount",
    signed("sapi", 1, (k, r) => subs.createVirtual(k, r.params)),
  );
  app.post(
    "/sapi/v1/sub-account/universalTransfer",
    signed("sapiUid", 360, (k, r) => subs.transfer(k, r.params)),
  );
  app.get("/sapi/v1/sub-account/universalTransfer", signed("sapi", 1, (k, r) => subs.history(k, r.params)));
  app.get(
    "/sapi/v4/sub-account/assets",
    signed("sapiUid", 60, (k, r) => subs.assets(subs.find(k, r.params.get("email")))),
  );
  app.get(
    "/sapi/v1/sub-account/subAccountApi/ipRestriction",
    signed("sapiUid", 3000, (k, r) => subs.restrictionOf(subs.subKey(k, r.params))),
  );
  app.post(
    "/sapi/v2/sub-account/subAccountApi/ipRestriction",
    signed("sapiUid", 3000, (k, r) => subs.setRestriction(subs.subKey(k, r.params), r.params)),
  );
  app.delete(
    "/sapi/v1/sub-account/subAccountApi/ipRestriction/ipList",
    signed("sapiUid", 3000, (k, r) => subs.deleteIps(subs.subKey(k, r.params), r.params)),
  );
  app.get(
    "/sapi/v1/account/apiRestrictions",
    signed("sapi", 1, (k) => ({
      ipRestrict: subs.ipRestrictions.get(k)?.restricted ?? false,
      createTime: started,
      enableReading: true,
      enableSpotAndMarginTrading: true,
      enableWithdrawals: true,
      enableInternalTransfer: true,
      enableMargin: true,
      enableFutures: true,
      permitsUniversalTransfer: true,
      enableVanillaOptions: true,
      enableFixApiTrade: false,
      enableFixReadOnly: false,
      enablePortfolioMarginTrading: false,
    })),
  );
  return subs;
}
