/**
 * The wallet: coin and network configuration, deterministic deposit addresses, the deposit and
 * withdrawal ledger (deposits come from `emu.transfer` credits, withdrawals from
 * `POST /sapi/v1/capital/withdraw/apply` and `emu.transfer` debits), asset details, and daily
 * account snapshots (one at start for the previous day's close, then one per UTC midnight the
 * simulator passes).
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError, missingParam } from "./api_error.ts";
import type { Json } from "./payloads.ts";

/** One network a coin moves on. */
export interface Network {
  readonly network: string;
  readonly name: string;
  readonly withdrawFee: string;
  readonly withdrawMin: string;
  readonly minConfirm: number;
  /** Address format: a prefix and the body's alphabet and length. */
  readonly address: { readonly prefix: string; readonly alphabet: string; readonly length: number };
}

const HEX = "0123456789abcdef";
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const EVM = { prefix: "0x", alphabet: HEX, length: 40 };
const NETWORKS: Record<string, Network> = {
  BTC: {
    network: "BTC",
    name: "Bitcoin",
    withdrawFee: "0.00002",
    withdrawMin: "0.0001",
    minConfirm: 1,
    address: { prefix: "bc1q", alphabet: BECH32, length: 38 },
  },
  ETH: {
    network: "ETH",
    name: "Ethereum (ERC20)",
    withdrawFee: "0.0008",
    withdrawMin: "0.001",
    minConfirm: 6,
    address: EVM,
  },
  BSC: {
    network: "BSC",
    name: "BNB Smart Chain (BEP20)",
    withdrawFee: "0.00001",
    withdrawMin: "0.0001",
    minConfirm: 15,
    address: EVM,
  },
  TRX: {
    network: "TRX",
    name: "Tron (TRC20)",
    withdrawFee: "1",
    withdrawMin: "10",
    minConfirm: 1,
    address: { prefix: "T", alphabet: B58, length: 33 },
  },
};
const COIN_NETWORKS: Record<string, readonly string[]> = {
  BTC: ["BTC", "BSC"],
  ETH: ["ETH", "BSC"],
  USDT: ["ETH", "TRX", "BSC"],
  USDC: ["ETH", "BSC"],
  BNB: ["BSC"],
};
const NAMES: Record<string, string> = {
  BTC: "Bitcoin",
  ETH: "Ethereum",
  USDT: "TetherUS",
  USDC: "USD Coin",
  BNB: "BNB",
};

/** The networks of a coin (unknown coins move on BSC). */
export function networksOf(coin: string): Network[] {
  return (COIN_NETWORKS[coin] ?? ["BSC"]).map((n) => NETWORKS[n]);
}

/** One deposit or withdrawal. */
export interface WalletRecord {
  readonly apiKey: string;
  readonly kind: "deposit" | "withdraw";
  readonly id: string;
  readonly coin: string;
  readonly network: string;
  readonly amount: Decimal;
  readonly fee: Decimal;
  readonly address: string;
  readonly txId: string;
  readonly time: number;
  readonly withdrawOrderId?: string;
}

/** A daily snapshot of the three account kinds. */
export interface Snapshot {
  readonly updateTime: number;
  readonly spot: Json;
  readonly margin: Json;
  readonly futures: Json;
}

/** A deterministic stream of pseudo-random bytes from a text (FNV-1a, then xorshift). */
function bytesOf(text: string, n: number): number[] {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    out.push(h & 0xff);
  }
  return out;
}

/** The wallet ledger of one emulator. */
export class Wallet {
  readonly records: WalletRecord[] = [];
  readonly snapshots: Map<string, Snapshot[]> = new Map();
  #nextId = 1;
  #day = -1;

  /** A deterministic deposit address of an account, coin and network (in the network's format). */
  address(apiKey: string, coin: string, network: Network): string {
    const { prefix, alphabet, length } = network.address;
    return prefix +
      bytesOf(`${apiKey}:${coin}:${network.network}`, length).map((b) => alphabet[b % alphabet.length]).join(
        "",
      );
  }

  /**
   * The network named by `network` (or the coin's default).
   *
   * @throws {ApiError} -4018 unknown network for the coin
   */
  network(coin: string, network: string | null): Network {
    const list = networksOf(coin);
    if (network === null || network === "") return list[0];
    const n = list.find((x) => x.network === network);
    if (!n) throw new ApiError(-4018, "The network is not supported for this coin.");
    return n;
  }

  /** Records a deposit (an `emu.transfer` credit). */
  deposit(apiKey: string, coin: string, amount: Decimal, time: number): void {
    const net = this.network(coin, null);
    this.records.push({
      apiKey,
      kind: "deposit",
      id: String(this.#nextId++),
      coin,
      network: net.network,
      amount,
      fee: new Decimal(0),
      address: this.address(apiKey, coin, net),
      txId: `0x${
        bytesOf(`deposit:${this.#nextId}:${time}`, 32).map((b) => b.toString(16).padStart(2, "0")).join("")
      }`,
      time,
    });
  }

  /**
   * Validates and records a withdrawal; the caller debits `amount` from the spot balance.
   *
   * @throws {ApiError} -1102 missing fields, -4018 network, -4022 below the minimum, -4023 not above the fee
   */
  withdraw(apiKey: string, p: URLSearchParams, time: number): WalletRecord {
    const coin = p.get("coin");
    if (!coin) throw missingParam("coin");
    const address = p.get("address");
    if (!address) throw missingParam("address");
    const raw = p.get("amount");
    if (!raw) throw missingParam("amount");
    if (!/^\d{1,20}(\.\d{1,8})?$/.test(raw)) {
      throw new ApiError(-1130, "Data sent for parameter 'amount' is not valid.");
    }
    const amount = new Decimal(raw);
    const net = this.network(coin, p.get("network"));
    if (amount.lt(net.withdrawMin)) {
      throw new ApiError(-4022, `The withdrawal amount must be at least ${net.withdrawMin}.`);
    }
    if (amount.lte(net.withdrawFee)) {
      throw new ApiError(-4023, "The withdrawal amount must be greater than the fee.");
    }
    const rec: WalletRecord = {
      apiKey,
      kind: "withdraw",
      id: `emuw${String(this.#nextId++).padStart(8, "0")}`,
      coin,
      network: net.network,
      amount,
      fee: new Decimal(net.withdrawFee),
      address,
      txId: `emutx${this.#nextId}`,
      time,
      withdrawOrderId: p.get("withdrawOrderId") ?? undefined,
    };
    this.records.push(rec);
    return rec;
  }

  /** Records an `emu.transfer` debit as a completed withdrawal to an outside address. */
  outflow(apiKey: string, coin: string, amount: Decimal, time: number): void {
    const net = this.network(coin, null);
    this.records.push({
      apiKey,
      kind: "withdraw",
      id: `emuw${String(this.#nextId++).padStart(8, "0")}`,
      coin,
      network: net.network,
      amount,
      fee: new Decimal(0),
      address: "external",
      txId: `emutx${this.#nextId}`,
      time,
    });
  }

  /** Records snapshots when `now` starts a new UTC day (and once at start). */
  maybeSnapshot(
    now: number,
    take: (apiKey: string, updateTime: number) => Snapshot,
    apiKeys: readonly string[],
  ): void {
    const day = Math.floor(now / 86_400_000);
    if (day === this.#day) return;
    this.#day = day;
    const updateTime = day * 86_400_000 - 1; // the close of the previous day
    for (const k of apiKeys) {
      let list = this.snapshots.get(k);
      if (!list) this.snapshots.set(k, list = []);
      list.push(take(k, updateTime));
    }
  }
}

/** Date-time text Binance uses in withdraw history (`2026-01-05 10:00:00`). */
export function binanceDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** The name of a coin. */
export function coinName(coin: string): string {
  return NAMES[coin] ?? coin;
}
