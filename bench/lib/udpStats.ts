// UDP counters of a network namespace (/proc/net/snmp): datagrams received, and those the
// kernel dropped because a socket's receive buffer was full (its reader fell behind).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface UdpCounters {
  inDatagrams: number;
  rcvbufErrors: number;
}

/** Parses the two "Udp:" lines of /proc/net/snmp. */
export function parseUdpCounters(snmp: string): UdpCounters | undefined {
  const lines = snmp.split("\n").filter((l) => l.startsWith("Udp:"));
  const [head, values] = lines;
  if (!head || !values) return undefined;
  const names = head.split(/\s+/).slice(1);
  const nums = values.split(/\s+/).slice(1).map(Number);
  const get = (n: string) => nums[names.indexOf(n)] ?? 0;
  return { inDatagrams: get("InDatagrams"), rcvbufErrors: get("RcvbufErrors") };
}

/** The counters of a namespace (`exec` = its `ip netns exec NAME` prefix) or of this one. */
export function readUdpCounters(exec?: string[]): UdpCounters | undefined {
  try {
    const text = exec
      ? execFileSync(exec[0]!, [...exec.slice(1), "cat", "/proc/net/snmp"], { encoding: "utf8" })
      : readFileSync("/proc/net/snmp", "utf8");
    return parseUdpCounters(text);
  } catch {
    return undefined;
  }
}

/** Sum of the `drops` column of /proc/net/udp lines whose inode is in `inodes`. */
export function parseSocketDrops(procNetUdp: string, inodes: Set<string>): number {
  let drops = 0;
  for (const line of procNetUdp.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
    if (f.length >= 13 && inodes.has(f[9] as string)) drops += Number(f[12]) || 0;
  }
  return drops;
}

/**
 * Datagrams the kernel dropped at the UDP sockets process `pid` holds (receive buffer full:
 * the process did not read them in time), from /proc/<pid>/fd and /proc/<pid>/net/udp.
 */
export function processSocketDrops(pid: number): number | undefined {
  try {
    const inodes = new Set<string>();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1] as string);
      } catch {
        // closed meanwhile
      }
    }
    return parseSocketDrops(readFileSync(`/proc/${pid}/net/udp`, "utf8"), inodes);
  } catch {
    return undefined;
  }
}
