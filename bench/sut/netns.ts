// A network namespace joined to the host by one veth pair with a private /30, so that a
// system under test gets a non-loopback address (Janus's ICE never offers loopback) that
// only the host can reach. Created per run, torn down on close, on exit and on Ctrl-C.
import { execFileSync } from "node:child_process";
import { netnsDefaults } from "../config/defaults.ts";

export interface Netns {
  name: string;
  hostIf: string;
  nsIf: string;
  hostAddress: string;
  nsAddress: string;
  /** The argv prefix that runs a command inside the namespace. */
  exec: string[];
  close(): void;
}

function ip(args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function tryIp(args: string[]): void {
  try {
    ip(args);
  } catch {
    // already gone
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes namespaces left behind by benchmark runs whose process is gone. */
export function removeStaleNamespaces(prefix = netnsDefaults.namePrefix): string[] {
  let list = "";
  try {
    list = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const line of list.split("\n")) {
    const name = line.split(" ")[0] ?? "";
    const m = new RegExp(`^${prefix}(\\d+)$`).exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    tryIp(["link", "del", `mfb${m[1]}h`]);
    tryIp(["netns", "del", name]);
    removed.push(name);
  }
  return removed;
}

/** The /30 of a run: 10.213.<a>.<b*4> from the pid, so concurrent runs do not collide. */
export function subnetFor(pid: number, prefix = netnsDefaults.subnetPrefix) {
  const a = (pid >> 6) & 0xff;
  const b = (pid & 0x3f) * 4;
  return { host: `${prefix}.${a}.${b + 1}`, ns: `${prefix}.${a}.${b + 2}` };
}

export function createNetns(pid = process.pid): Netns {
  const name = `${netnsDefaults.namePrefix}${pid}`;
  const hostIf = `mfb${pid}h`;
  const nsIf = `mfb${pid}n`;
  const { host, ns } = subnetFor(pid);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    tryIp(["link", "del", hostIf]);
    tryIp(["netns", "del", name]);
    process.off("exit", close);
  };
  process.on("exit", close);
  try {
    ip(["netns", "add", name]);
    ip(["link", "add", hostIf, "type", "veth", "peer", "name", nsIf]);
    ip(["link", "set", nsIf, "netns", name]);
    ip(["addr", "add", `${host}/30`, "dev", hostIf]);
    ip(["link", "set", hostIf, "up"]);
    ip(["-n", name, "addr", "add", `${ns}/30`, "dev", nsIf]);
    ip(["-n", name, "link", "set", nsIf, "up"]);
    ip(["-n", name, "link", "set", "lo", "up"]);
  } catch (e) {
    close();
    const err = e as { stderr?: Buffer };
    throw new Error(`could not create network namespace ${name}: ${err.stderr?.toString() ?? e}`);
  }
  return {
    name,
    hostIf,
    nsIf,
    hostAddress: host,
    nsAddress: ns,
    exec: ["ip", "netns", "exec", name],
    close,
  };
}
