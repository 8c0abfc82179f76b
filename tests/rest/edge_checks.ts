/**
 * REST checks for the workerd smoke test (`tests/edge/`): web-standard code only, so the worker
 * bundle can import them. Each check throws on failure.
 *
 * The signed check needs an emulator account; the harness passes its key and HMAC secret as the
 * bindings `EMULATOR_API_KEY` / `EMULATOR_API_SECRET` next to `EMULATOR_REST_URL`.
 *
 * @module
 */
import { BinanceRestClient, createSigner, signRestPayload } from "../../src/rest/mod.ts";

/** Bindings the REST checks read. */
export interface RestEdgeEnv {
  /** Origin of the emulator's REST API. */
  readonly EMULATOR_REST_URL?: string;
  /** API key of an emulator account. */
  readonly EMULATOR_API_KEY?: string;
  /** HMAC secret of that account. */
  readonly EMULATOR_API_SECRET?: string;
}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function need(env: RestEdgeEnv, name: keyof RestEdgeEnv): string {
  const v = env[name];
  check(typeof v === "string" && v !== "", `binding ${name} is missing`);
  return v;
}

// Binance's published examples (rest-api.md HMAC, fix-api.md Ed25519 key and logon signature)
const HMAC_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const HMAC_PAYLOAD = "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT" +
  "&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
const HMAC_SIG = "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3";
const ED_PEM =
  "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----\n";
const FIX_PAYLOAD = "A\x01EXAMPLE\x01SPOT\x011\x0120240627-11:17:25.223";
const FIX_SIG = "4MHXelVVcpkdwuLbl6n73HQUXUf1dse2PCgT1DYqW9w8AVZ1RACFGM+5UdlGPrQHrgtS3CvsRURC1oj73j8gCA==";

/** The REST checks, by name. */
export const restEdgeChecks: Record<string, (env: RestEdgeEnv) => Promise<void>> = {
  "rest: HMAC, Ed25519 and RSA signing with crypto.subtle": async () => {
    check(await signRestPayload(createSigner(HMAC_SECRET), HMAC_PAYLOAD) === HMAC_SIG, "HMAC vector");
    const ed = createSigner(ED_PEM);
    check(ed.keyType === "ed25519" && await ed.sign(FIX_PAYLOAD) === FIX_SIG, "Ed25519 vector");
    const pair = await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    ) as CryptoKeyPair;
    const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
    const rsa = createSigner(
      `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...der))}\n-----END PRIVATE KEY-----`,
    );
    const sig = Uint8Array.from(atob(await rsa.sign("x=1")), (c) => c.charCodeAt(0));
    check(rsa.keyType === "rsa", "RSA key type");
    check(
      await crypto.subtle.verify("RSASSA-PKCS1-v1_5", pair.publicKey, sig, new TextEncoder().encode("x=1")),
      "RSA verify",
    );
  },
  "rest: public calls against the emulator": async (env) => {
    const client = new BinanceRestClient({ baseUrl: need(env, "EMULATOR_REST_URL") });
    check(JSON.stringify(await client.ping()) === "{}", "ping");
    check((await client.getServerTime()).serverTime > 0, "time");
    const book = await client.getOrderBook({ symbol: "BTCUSDT", limit: 5 });
    check(book.bids.length === 5 && book.asks.length === 5, "depth limit 5");
    check(Number((await client.getSymbolTicker({ symbol: "BTCUSDT" })).price) > 0, "ticker price");
    check(client.usage.api?.weight["1M"] !== undefined, "usage header read");
  },
  "rest: signed calls against the emulator": async (env) => {
    const client = new BinanceRestClient({
      baseUrl: need(env, "EMULATOR_REST_URL"),
      apiKey: need(env, "EMULATOR_API_KEY"),
      apiSecret: need(env, "EMULATOR_API_SECRET"),
    });
    const account = await client.getAccount();
    check(Array.isArray(account.balances), "account balances");
    check(client.timeOffset() !== undefined, "time synced before the signed call");
    const test = await client.createTestOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.001",
    });
    check(JSON.stringify(test) === "{}", "order/test");
  },
};
