/**
 * A facade with the names of `jsr:@std/assert` over `node:assert/strict`.
 *
 * JSR is not reachable from the machines this project is built and tested on, so `@std/assert`
 * cannot be installed. Every test imports from `"@std/assert"`, which `deno.json` (imports),
 * `tsconfig.json` (paths, read by Bun) and the Node artifact test build (esbuild alias) map to
 * this file. The signatures follow @std/assert 1.x, so pointing the alias at `jsr:@std/assert@^1`
 * changes no test.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Error thrown by every assertion of this module (the `node:assert` class, re-exported). */
export const AssertionError: typeof nodeAssert.AssertionError = nodeAssert.AssertionError;
/** Instance type of {@link AssertionError}. */
export type AssertionError = nodeAssert.AssertionError;

// deno-lint-ignore no-explicit-any
type AnyConstructor = new (...args: any[]) => any;
type GetConstructorType<T extends AnyConstructor> = InstanceType<T>;

function fmt(value: unknown): string {
  try {
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "string") return JSON.stringify(value);
    return JSON.stringify(value, (_k, v) => typeof v === "bigint" ? `${v}n` : v) ?? String(value);
  } catch {
    return String(value);
  }
}

function failWith(msg: string | undefined, fallback: string): never {
  throw new AssertionError({ message: msg ? `${msg}: ${fallback}` : fallback });
}

/** Make an assertion, error will be thrown if `expr` does not have truthy value. */
export function assert(expr: unknown, msg = ""): asserts expr {
  if (!expr) throw new AssertionError({ message: msg || "Expected expression to be truthy" });
}

/** Deep equality (structural, strict): Map, Set, Date, typed arrays and BigInt supported. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

/** Deep inequality. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, msg);
}

/** `Object.is` equality. */
export function assertStrictEquals<T>(actual: unknown, expected: T, msg?: string): asserts actual is T {
  nodeAssert.strictEqual(actual, expected, msg);
}

/** Asserts that a value is neither `null` nor `undefined`. */
export function assertExists<T>(actual: T, msg?: string): asserts actual is NonNullable<T> {
  if (actual === undefined || actual === null) {
    failWith(msg, `Expected actual: "${actual}" to not be null or undefined`);
  }
}

/** Asserts that `actual` is an instance of `expectedType`. */
export function assertInstanceOf<T extends AnyConstructor>(
  actual: unknown,
  expectedType: T,
  msg?: string,
): asserts actual is GetConstructorType<T> {
  if (!(actual instanceof expectedType)) {
    const got = actual === null
      ? "null"
      : typeof actual === "object"
      ? (actual as object).constructor?.name ?? "Object"
      : typeof actual;
    failWith(msg, `Expected object to be an instance of "${expectedType.name}" but was "${got}"`);
  }
}

/** Asserts that `actual` matches the regular expression. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  nodeAssert.match(actual, expected, msg);
}

/** Asserts that two numbers are equal within a tolerance (default: 1e-7, as in @std/assert). */
export function assertAlmostEquals(actual: number, expected: number, tolerance?: number, msg?: string): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  const tol = tolerance ?? Math.abs(expected) * 1e-7;
  if (delta <= tol) return;
  failWith(
    msg,
    `Expected actual: "${actual}" to be close to "${expected}": delta "${delta}" is greater than "${tol}"`,
  );
}

/** Asserts that every element of `expected` is deep-equal to some element of `actual`. */
export function assertArrayIncludes<T>(actual: ArrayLike<T>, expected: ArrayLike<T>, msg?: string): void {
  const missing: T[] = [];
  for (let i = 0; i < expected.length; i++) {
    let found = false;
    for (let j = 0; j < actual.length; j++) {
      try {
        nodeAssert.deepStrictEqual(actual[j], expected[i]);
        found = true;
        break;
      } catch { /* keep looking */ }
    }
    if (!found) missing.push(expected[i]);
  }
  if (missing.length > 0) {
    failWith(
      msg,
      `Expected actual: "${fmt(Array.from(actual))}" to include: "${fmt(Array.from(expected))}"; missing: ${
        fmt(missing)
      }`,
    );
  }
}

/** Forcefully throws a failed assertion. */
export function fail(msg?: string): never {
  failWith(undefined, `Failed assertion${msg ? `: ${msg}` : ""}`);
}

function checkError(
  e: unknown,
  ErrorClass: AnyConstructor | undefined,
  msgIncludes: string | undefined,
  msg: string | undefined,
): void {
  if (ErrorClass && !(e instanceof ErrorClass)) {
    const name = e instanceof Error ? e.constructor.name : typeof e;
    failWith(
      msg,
      `Expected error to be instance of "${ErrorClass.name}", but was "${name}"${
        e instanceof Error ? `: ${e.message}` : ""
      }`,
    );
  }
  if (msgIncludes !== undefined) {
    const message = e instanceof Error ? e.message : String(e);
    if (!message.includes(msgIncludes)) {
      failWith(
        msg,
        `Expected error message to include ${JSON.stringify(msgIncludes)}, but got ${
          JSON.stringify(message)
        }`,
      );
    }
  }
}

/** Executes `fn` and asserts that it throws; returns the thrown value. */
export function assertThrows(fn: () => unknown, msg?: string): unknown;
/** Executes `fn` and asserts that it throws an instance of `ErrorClass` whose message includes `msgIncludes`. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass: abstract new (...args: any[]) => E,
  msgIncludes?: string,
  msg?: string,
): E;
export function assertThrows(
  fn: () => unknown,
  errorClassOrMsg?: unknown,
  msgIncludes?: string,
  msg?: string,
): unknown {
  const ErrorClass = typeof errorClassOrMsg === "function" ? errorClassOrMsg as AnyConstructor : undefined;
  const outerMsg = typeof errorClassOrMsg === "string" ? errorClassOrMsg : msg;
  try {
    fn();
  } catch (e) {
    checkError(e, ErrorClass, msgIncludes, outerMsg);
    return e;
  }
  failWith(outerMsg, "Expected function to throw");
}

/** Awaits `fn()` and asserts that it rejects; resolves to the rejection reason. */
export function assertRejects(fn: () => PromiseLike<unknown>, msg?: string): Promise<unknown>;
/** Awaits `fn()` and asserts that it rejects with `ErrorClass` whose message includes `msgIncludes`. */
export function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass: abstract new (...args: any[]) => E,
  msgIncludes?: string,
  msg?: string,
): Promise<E>;
export async function assertRejects(
  fn: () => PromiseLike<unknown>,
  errorClassOrMsg?: unknown,
  msgIncludes?: string,
  msg?: string,
): Promise<unknown> {
  const ErrorClass = typeof errorClassOrMsg === "function" ? errorClassOrMsg as AnyConstructor : undefined;
  const outerMsg = typeof errorClassOrMsg === "string" ? errorClassOrMsg : msg;
  let promise: PromiseLike<unknown>;
  try {
    promise = fn();
  } catch (e) {
    failWith(
      outerMsg,
      `Function throws when expected to reject: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (!promise || typeof promise.then !== "function") {
    failWith(outerMsg, "Function throws when expected to reject: it did not return a promise");
  }
  try {
    await promise;
  } catch (e) {
    checkError(e, ErrorClass, msgIncludes, outerMsg);
    return e;
  }
  failWith(outerMsg, "Expected function to reject");
}
