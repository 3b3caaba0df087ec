// UDP counters of a network namespace (/proc/net/snmp): datagrams received, and those the
// kernel dropped because a socket's receive buffer was full (its reader fell behind).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

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
