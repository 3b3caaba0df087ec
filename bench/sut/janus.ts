// Starts Janus (VideoRoom + HTTP API) inside the run's network namespace, pinned to the
// SUT core, with a configuration generated into a temporary folder.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { janusDefaults } from "../config/defaults.ts";
import { writeJanusConfig } from "./janusConfig.ts";
import type { Netns } from "./netns.ts";
import { LogTail, type Sut, stopChild, track } from "./Sut.ts";

export async function startJanus(ns: Netns, core: number): Promise<Sut> {
  const dir = mkdtempSync(join(tmpdir(), "mfbench-janus-"));
  const config = writeJanusConfig({ dir, apiAddress: ns.nsAddress, iceInterface: ns.nsIf });
  const [cmd, ...prefix] = ns.exec;
  const child = track(
    spawn(
      cmd!,
      [
        ...prefix,
        "taskset",
        "-c",
        String(core),
        janusDefaults.binary,
        "-C",
        config,
        "-F",
        dir,
        "-o",
      ],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    ),
  );
  const log = new LogTail(60);
  child.stdout?.on("data", (d: Buffer) => log.push(d));
  child.stderr?.on("data", (d: Buffer) => log.push(d));
  const apiUrl = `http://${ns.nsAddress}:${janusDefaults.httpPort}/janus`;
  const close = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + janusDefaults.startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`janus exited with ${child.exitCode}:\n${log.text()}`);
    }
    try {
      const r = await fetch(`${apiUrl}/info`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`janus did not answer on ${apiUrl} in time:\n${log.text()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    kind: "janus",
    pid: child.pid ?? 0,
    target: { kind: "janus", apiUrl, localAddress: ns.hostAddress },
    logTail: () => log.text(),
    close,
  };
}
