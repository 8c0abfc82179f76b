/**
 * Optional packages: the parts that need one (the emulator's and the cluster's HTTP servers) load it
 * on first use and name the install command when it is missing.
 *
 * @module
 */

/**
 * Whether `e` is a runtime's "module or package not found" error (Node's `ERR_MODULE_NOT_FOUND` /
 * `MODULE_NOT_FOUND`, Deno's and Bun's messages).
 *
 * @param e What a dynamic `import()` threw.
 * @returns True for a missing module.
 */
export function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" ||
    (e instanceof Error && /Cannot find (package|module)/i.test(e.message));
}
