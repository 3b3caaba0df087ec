// `npm start`: the embedded homeserver, the foci and the demo web app in one command.
// Environment: HOMESERVER_PORT, DEMO_PORT, FOCI (number of foci), DATA_DIR (relative to the
// repository root), REBUILD_DEMO=1 (rebuild the bundle even when it looks fresh),
// FOCUS_LOG_LEVEL (log level of the foci, default info).
import { isAbsolute, join } from "node:path";
import { stackDefaults } from "./defaults.ts";
import { repoRoot } from "./paths.ts";
import { startStack } from "./Stack.ts";

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a whole number >= 0, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

/** Renders one focus log line (pino JSON) compactly; other lines pass through. */
function renderFocusLine(index: number, line: string): string {
  const tag = `[focus${index === 0 ? "" : index + 1}]`;
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; name?: string };
    const level = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" }[
      entry.level ?? 30
    ];
    return `${tag} ${level ?? entry.level} ${entry.name ? `${entry.name}: ` : ""}${entry.msg ?? line}`;
  } catch {
    return `${tag} ${line}`;
  }
}

const dataDirRaw = process.env.DATA_DIR ?? stackDefaults.dataDir;
const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : join(repoRoot, dataDirRaw);
const foci = intFromEnv("FOCI", stackDefaults.foci);
if (foci > stackDefaults.maxFoci) {
  console.error(`FOCI must be at most ${stackDefaults.maxFoci}`);
  process.exit(2);
}

const stack = await startStack({
  homeserverPort: intFromEnv("HOMESERVER_PORT", stackDefaults.homeserverPort),
  demoPort: intFromEnv("DEMO_PORT", stackDefaults.demoPort),
  databasePath: join(dataDir, stackDefaults.homeserverDatabaseFile),
  fociDataDir: dataDir,
  foci,
  rebuildDemo: process.env.REBUILD_DEMO === "1",
  focusLogLevel: process.env.FOCUS_LOG_LEVEL || undefined,
  log: (line) => console.log(`[stack] ${line}`),
  onFocusOutput: (index, line) => console.log(renderFocusLine(index, line)),
});

console.log("");
console.log(`  Open the demo:   ${stack.demoUrl || "(not running)"}`);
console.log(`  Homeserver:      ${stack.homeserverUrl || "(not running)"}`);
for (const f of stack.foci)
  console.log(`  Focus:           ${f.userId} device ${f.deviceId} (${f.state})`);
for (const m of stack.missing) console.log(`  NOT RUNNING:     ${m}`);
console.log(`  Data:            ${dataDir}`);
console.log("  Stop with Ctrl-C.");
console.log("");

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`[stack] ${signal}: stopping ...`);
  await stack.close();
  console.log("[stack] stopped");
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
