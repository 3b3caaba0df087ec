// Header extension ids in a BUNDLE group must mean the same extension in every m-line
// (RFC 8843 §9.1, RFC 8285). Some foci (werift numbers extensions per kind) offer new m-lines
// whose ids clash with the ones already negotiated, and Chromium then rejects the whole offer.
// Before applying a remote offer the client renumbers such ids to the id already used for that
// extension URI (or a free id); the answer carries those ids, and an offerer that adopts the
// answer's ids (werift does) sends with them. Offers without clashes are returned unchanged.

const EXTMAP = /^a=extmap:(\d+)(\/\w+)? (\S+)(.*)$/;

/** URI -> id of every extmap line in an SDP. */
export function extmapIds(sdp: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of sdp.split(/\r?\n/)) {
    const m = EXTMAP.exec(line);
    if (m !== null && !out.has(m[3] as string)) out.set(m[3] as string, Number(m[1]));
  }
  return out;
}

/** True when one id names two different extensions within the SDP. */
export function hasExtmapClash(sdp: string): boolean {
  const byId = new Map<number, string>();
  for (const line of sdp.split(/\r?\n/)) {
    const m = EXTMAP.exec(line);
    if (m === null) continue;
    const id = Number(m[1]);
    const uri = m[3] as string;
    const seen = byId.get(id);
    if (seen !== undefined && seen !== uri) return true;
    byId.set(id, uri);
  }
  return false;
}

/**
 * Renumbers the extmap ids of `offer` so that each URI uses the id `negotiated` (our current
 * local description) gives it, and URIs new to the session get ids not used otherwise.
 * Returns the offer unchanged when it has no clash.
 */
export function alignExtmapIds(offer: string, negotiated: string): string {
  if (!hasExtmapClash(offer)) return offer;
  const ids = extmapIds(negotiated);
  const used = new Set(ids.values());
  const eol = offer.includes("\r\n") ? "\r\n" : "\n";
  return offer
    .split(/\r?\n/)
    .map((line) => {
      const m = EXTMAP.exec(line);
      if (m === null) return line;
      const uri = m[3] as string;
      let id = ids.get(uri);
      if (id === undefined) {
        id = 1;
        while (used.has(id)) id++;
        ids.set(uri, id);
        used.add(id);
      }
      return `a=extmap:${id}${m[2] ?? ""} ${uri}${m[4] ?? ""}`;
    })
    .join(eol);
}
