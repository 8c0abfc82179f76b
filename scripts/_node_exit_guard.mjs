// Bundled into every Node test file by scripts/test_npm.mjs (esbuild `inject`), in place of
// `--test-force-exit`: that flag exits a file's process the moment its last test ends, before the
// report stream to the parent has drained, so Node silently drops a file's last verdicts — passing
// and failing ones alike (nodejs/node#64833; seen here as ±80 tests between runs). This guard lets
// the process end on its own and only ends it when something a test left behind (a timer, a
// socket) would keep it alive: 15 s after the file's last test, with the exit code the runner set.
import { after } from "node:test";
import process from "node:process";

const GRACE_MS = 15_000;

after(() => {
  setTimeout(() => {
    process.stderr.write(
      `test file still running ${
        GRACE_MS / 1000
      } s after its last test (a leaked timer or socket): ending it\n`,
    );
    process.exit();
  }, GRACE_MS).unref();
});
