// The matrix-focus command as a process: a bad configuration exits 2 naming the field; a good
// one logs in to the embedded homeserver, reports healthy, and stops cleanly on SIGTERM.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningHomeserver, startHomeserver } from "@matrix-focus/homeserver";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../packages/focus/bin/matrix-focus", import.meta.url));

let hs: RunningHomeserver;
let dir: string;

function runFocus(args: string[], env: Record<string, string> = {}) {
  const child = spawn(bin, args, { env: { PATH: process.env.PATH ?? "", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

beforeAll(async () => {
  hs = await startHomeserver({
    port: 0,
    databasePath: ":memory:",
    logger: pino({ level: "silent" }),
  });
  dir = await mkdtemp(join(tmpdir(), "focus-cli-"));
});

afterAll(async () => {
  await hs?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("matrix-focus command", () => {
  it("exits 2 and names the bad field and its variable", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      `homeserverUrl: ${hs.url}\nusername: focus\npassword: pw\nlimits:\n  maxCallsPerUser: -1\n`,
    );
    const run = runFocus(["--config", file], { MATRIX_FOCUS_LOG_LEVEL: "loud" });
    expect(await run.exited).toBe(2);
    expect(run.err()).toMatch(/limits\.maxCallsPerUser: /);
    expect(run.err()).toMatch(/logLevel \(from MATRIX_FOCUS_LOG_LEVEL\): /);
  });

  it("logs in, reports healthy, and exits 0 on SIGTERM", async () => {
    const file = join(dir, "focus.yaml");
    await writeFile(
      file,
      [
        `homeserverUrl: ${hs.url}`,
        "username: focus",
        "password: pw",
        "register: true",
        `dataDir: ${join(dir, "data")}`,
        "metrics: { port: 0 }",
        "sync: { timeoutMs: 500 }",
      ].join("\n"),
    );
    const run = runFocus(["--config", file]);
    const urlOf = () => /"url":"(http:[^"]+)"/.exec(run.out())?.[1];
    await expect.poll(urlOf, { timeout: 20_000 }).toBeDefined();
    const url = urlOf() as string;
    await expect
      .poll(async () => (await fetch(`${url}/health`)).status, { timeout: 10_000 })
      .toBe(200);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.out()).toMatch(/"msg":"focus stopped"/);
  }, 40_000);
});
