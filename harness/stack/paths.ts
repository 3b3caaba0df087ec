// Where things are in the repository, resolved from this file so that the stack works from
// any current directory.
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const demoRoot = fileURLToPath(new URL("../../apps/demo/", import.meta.url));
export const focusMain = fileURLToPath(
  new URL("../../packages/focus/src/main.ts", import.meta.url),
);
/** Sources the demo bundle is built from: a change in any of them makes the bundle stale. */
export const demoSourceDirs = [
  fileURLToPath(new URL("../../apps/demo/", import.meta.url)),
  fileURLToPath(new URL("../../packages/client/src/", import.meta.url)),
  fileURLToPath(new URL("../../packages/protocol/src/", import.meta.url)),
];
