// Builds the demo web app with Vite when its bundle is missing or older than its sources.
// A built bundle served by a small static server is what `npm start` and the browser tests use:
// it starts fast, needs no dev-server websocket and behaves like a deployment.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { stackDefaults } from "./defaults.ts";
import { demoRoot, demoSourceDirs } from "./paths.ts";

const ignoredDirs = new Set(["node_modules", stackDefaults.demoOutDir, ".vite"]);

function newestMtime(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  // Directory times are left out: building the bundle itself touches its parent directory.
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (ignoredDirs.has(entry)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** The directory holding the built demo. */
export function demoOutDir(): string {
  return join(demoRoot, stackDefaults.demoOutDir);
}

/** True when the bundle exists and no source is newer than it. */
export function demoBundleIsFresh(): boolean {
  const index = join(demoOutDir(), "index.html");
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return demoSourceDirs.every((dir) => newestMtime(dir) <= built);
}

/** Builds the demo unless the bundle is fresh (or `force`); returns the output directory. */
export async function ensureDemoBundle(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<string> {
  const outDir = demoOutDir();
  if (!options.force && demoBundleIsFresh()) return outDir;
  options.log?.("building the demo web app (vite build) ...");
  const { build } = await import("vite");
  await build({
    root: demoRoot,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
