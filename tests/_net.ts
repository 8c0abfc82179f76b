/**
 * Network helpers for tests.
 *
 * @module
 */
import { createServer } from "node:net";

/** A loopback port nothing listens on (bound on 127.0.0.1, then closed). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
