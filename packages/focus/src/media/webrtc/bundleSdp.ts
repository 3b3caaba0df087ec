// werift writes the transport's ICE candidates into every m-section of every offer. Once
// BUNDLE is in place, only the m-section that carries the bundle (the first mid of the group)
// may have them: JSEP (RFC 8829 §5.2.2) has the m-sections bundled into another carry no
// "a=candidate" nor "a=end-of-candidates" in a subsequent offer. Dropping them takes about 15%
// off a renegotiation offer (5 KB of 34 KB in a call of 20), which crosses the data channel
// and is parsed by every subscriber (docs/performance.md, "Data-channel round trips").
import { midOf, sdpSections } from "./sdpSections.ts";

const GROUP = "a=group:BUNDLE ";

/** `sdp` without candidate lines in the m-sections bundled into the group's first one. */
export function dropBundledCandidates(sdp: string): string {
  const sections = sdpSections(sdp);
  const group = sections[0]?.find((l) => l.startsWith(GROUP));
  if (!group) return sdp;
  const [tag, ...rest] = group.slice(GROUP.length).trim().split(/\s+/);
  const bundled = new Set(rest.filter((m) => m !== tag));
  return sections
    .flatMap((lines, i) => {
      const mid = i === 0 ? undefined : midOf(lines);
      if (mid === undefined || !bundled.has(mid)) return lines;
      return lines.filter((l) => !l.startsWith("a=candidate:") && l !== "a=end-of-candidates");
    })
    .join("\r\n");
}
