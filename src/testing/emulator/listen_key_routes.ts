/**
 * The listen-key REST endpoints of the venues beyond USD-M / COIN-M (those are in
 * `rest_futures.ts`): options `/eapi/v1/listenKey`, portfolio margin `/papi/v1/listenKey` and the
 * Binance.US / TR spot `/api/v3/userDataStream` (binance.com removed the spot one on 2026-02-20;
 * the emulator serves one origin for every venue, and the client only calls it for US / TR).
 * POST creates (or returns and extends the active key), PUT extends, DELETE closes; API key only.
 *
 * @module
 */
import type { Hono } from "hono";
import { missingParam } from "./api_error.ts";
import type { Core, RestVenue, Trading } from "./core.ts";
import { signedKit } from "./signed_kit.ts";
import type { ListenKeyVenue } from "./user_data.ts";

/** Registers the options, portfolio-margin and Binance.US / TR listen-key routes. */
export function registerListenKeyRoutes(app: Hono, core: Core, t: Trading): void {
  const { keyOnly } = signedKit(core, t);
  const ud = t.userData;
  // portfolio margin has no weight counter of its own in the emulator: it shares the USD-M one
  const families: Array<[string, ListenKeyVenue, RestVenue]> = [
    ["/eapi/v1/listenKey", "options", "eapi"],
    ["/papi/v1/listenKey", "pm", "usdm"],
  ];
  for (const [path, venue, weights] of families) {
    app.post(path, keyOnly(weights, (k) => ({ listenKey: ud.createListenKey(k, venue) })));
    app.put(path, keyOnly(weights, (k) => ({ listenKey: ud.keepAlive(k, venue) })));
    app.delete(
      path,
      keyOnly(weights, (k) => {
        ud.deleteListenKey(k, venue);
        return {};
      }),
    );
  }
  // the spot form names the key in PUT and DELETE and answers `{}`
  const named = (p: URLSearchParams): string => {
    const key = p.get("listenKey");
    if (key === null || key === "") throw missingParam("listenKey");
    return key;
  };
  const spot = "/api/v3/userDataStream";
  app.post(spot, keyOnly("spot", (k) => ({ listenKey: ud.createListenKey(k, "spot") })));
  app.put(
    spot,
    keyOnly("spot", (k, r) => {
      ud.keepAlive(k, "spot", named(r.params));
      return {};
    }),
  );
  app.delete(
    spot,
    keyOnly("spot", (k, r) => {
      ud.deleteListenKey(k, "spot", named(r.params));
      return {};
    }),
  );
}
