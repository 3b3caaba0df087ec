// werift leaves out the receive side of simulcast (`a=rid:<id> recv`, `a=simulcast:recv`) when
// it re-offers an m-line a browser publishes simulcast on. A browser that gets such an offer
// drops to a single encoding (RFC 8853 §5.3), so the focus copies them back in from what the
// browser offered.

/** Per mid, the rid lines and the simulcast spec of the remote's `send` simulcast. */
export type RemoteSimulcast = Map<string, { rids: string[]; spec: string }>;

function sections(sdp: string): string[][] {
  const out: string[][] = [[]];
  for (const line of sdp.split("\r\n")) {
    if (line.startsWith("m=")) out.push([]);
    (out[out.length - 1] as string[]).push(line);
  }
  return out;
}

/** Reads the send simulcast of every m-line of a remote offer (or answer). */
export function readRemoteSimulcast(
  sdp: string,
  into: RemoteSimulcast = new Map(),
): RemoteSimulcast {
  for (const lines of sections(sdp).slice(1)) {
    const mid = lines.find((l) => l.startsWith("a=mid:"))?.slice(6);
    const sim = lines.find((l) => l.startsWith("a=simulcast:send "));
    if (mid === undefined || sim === undefined) continue;
    const rids = lines
      .filter((l) => /^a=rid:\S+ send/.test(l))
      .map((l) => l.slice(6).split(" ")[0] as string);
    into.set(mid, { rids, spec: sim.slice("a=simulcast:send ".length).trim() });
  }
  return into;
}

/** Adds the recv rid and simulcast lines to m-lines of our offer that lack them. */
export function addSimulcastRecv(offer: string, remote: RemoteSimulcast): string {
  if (remote.size === 0) return offer;
  const out: string[] = [];
  for (const lines of sections(offer)) {
    const mid = lines.find((l) => l.startsWith("a=mid:"))?.slice(6);
    const sim = mid === undefined ? undefined : remote.get(mid);
    const receives = lines.some((l) => l === "a=recvonly" || l === "a=sendrecv");
    if (!sim || !receives || lines.some((l) => l.startsWith("a=simulcast:"))) {
      out.push(...lines);
      continue;
    }
    let end = lines.length;
    while (end > 0 && lines[end - 1] === "") end--;
    out.push(
      ...lines.slice(0, end),
      ...sim.rids.map((r) => `a=rid:${r} recv`),
      `a=simulcast:recv ${sim.spec}`,
      ...lines.slice(end),
    );
  }
  return out.join("\r\n");
}
