// Summarises a V8 CPU profile (`node --cpu-prof`): self time per function and time per
// category (ours, werift, node internals, GC, idle), so that profiles of two runs can be
// compared as tables. Used by bench/prof.ts.

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  /** Share of the non-idle time. */
  share: number;
}

/** Where a frame's code lives, shortened to the part after the last node_modules or src. */
export function shortUrl(url: string): string {
  const u = url.replace(/^file:\/\//, "");
  const nm = u.lastIndexOf("node_modules/");
  if (nm >= 0) return u.slice(nm + "node_modules/".length);
  const pk = u.indexOf("/packages/");
  if (pk >= 0) return u.slice(pk + 1);
  return u;
}

/** Milliseconds of self time per node id, from the samples and their time deltas. */
function selfMsById(p: CpuProfile): Map<number, number> {
  const out = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // a sample's time is the gap until the next sample
    const d = (deltas[i + 1] ?? 0) / 1000;
    const id = samples[i] as number;
    out.set(id, (out.get(id) ?? 0) + d);
  }
  return out;
}

const IDLE = new Set(["(idle)", "(program)"]);

/** Functions by self time (same name and location merged), largest first. */
export function selfTimes(p: CpuProfile): { busyMs: number; idleMs: number; top: SelfTime[] } {
  const byId = selfMsById(p);
  const merged = new Map<string, SelfTime>();
  let busyMs = 0;
  let idleMs = 0;
  for (const n of p.nodes) {
    const ms = byId.get(n.id) ?? 0;
    if (ms === 0) continue;
    const name = n.callFrame.functionName || "(anonymous)";
    if (IDLE.has(name)) {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const where = `${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    const key = `${name} ${where}`;
    const e = merged.get(key) ?? { name, where, ms: 0, share: 0 };
    e.ms += ms;
    merged.set(key, e);
  }
  const top = [...merged.values()].sort((a, b) => b.ms - a.ms);
  for (const t of top) t.share = busyMs > 0 ? t.ms / busyMs : 0;
  return { busyMs, idleMs, top };
}

/** A markdown table of the `n` largest self times. */
export function selfTimeTable(p: CpuProfile, n = 25): string {
  const { busyMs, idleMs, top } = selfTimes(p);
  const lines = [
    `busy ${busyMs.toFixed(0)} ms, idle ${idleMs.toFixed(0)} ms`,
    "",
    "| # | function | where | self ms | share of busy |",
    "|---|---|---|---|---|",
  ];
  top.slice(0, n).forEach((t, i) => {
    lines.push(
      `| ${i + 1} | ${t.name} | ${t.where} | ${t.ms.toFixed(0)} | ${(t.share * 100).toFixed(1)}% |`,
    );
  });
  return lines.join("\n");
}

/** The area a frame's time counts for in `areaTable`. */
export function areaOf(name: string, url: string): string {
  if (name === "(garbage collector)") return "garbage collection";
  // native frames have no url: the socket write and the cipher objects
  if (url === "" && /^(send|sendto|recv|recvmsg)$/i.test(name))
    return "UDP send/receive (node:dgram)";
  if (url === "" && /Cipher|Hmac|Hash|^update$|^final$|digest|AuthTag/.test(name))
    return "node crypto (SRTP, DTLS)";
  if (url.includes("node:internal/crypto") || url === "node:crypto")
    return "node crypto (SRTP, DTLS)";
  if (url.includes("dgram") || url.includes("udp")) return "UDP send/receive (node:dgram)";
  if (url.includes("/packages/")) return "matrix-focus code";
  if (url.includes("node_modules/werift")) return "werift";
  if (url.includes("node_modules/")) return "other libraries";
  if (/modules|bootstrap|amaro|node:path|node:internal\/url/.test(url))
    return "start-up (module loading)";
  return "other (node internals, timers, promises)";
}

/** Self time per area (see areaOf), largest first, as a markdown table. */
export function areaTable(p: CpuProfile): string {
  const byId = selfMsById(p);
  const areas = new Map<string, number>();
  let busy = 0;
  for (const n of p.nodes) {
    const ms = byId.get(n.id) ?? 0;
    if (ms === 0 || IDLE.has(n.callFrame.functionName)) continue;
    busy += ms;
    const a = areaOf(n.callFrame.functionName, n.callFrame.url);
    areas.set(a, (areas.get(a) ?? 0) + ms);
  }
  const lines = ["| area | self ms | share of busy |", "|---|---|---|"];
  for (const [a, ms] of [...areas].sort((x, y) => y[1] - x[1])) {
    lines.push(`| ${a} | ${ms.toFixed(0)} | ${((ms / busy) * 100).toFixed(1)}% |`);
  }
  return lines.join("\n");
}
