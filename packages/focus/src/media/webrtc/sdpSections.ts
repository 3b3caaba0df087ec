// An SDP as its sections: the session part, then one list of lines per m-section (each
// starting with its m= line). Joining every line of every section with CRLF gives the SDP back.

export function sdpSections(sdp: string): string[][] {
  const out: string[][] = [[]];
  for (const line of sdp.split("\r\n")) {
    if (line.startsWith("m=")) out.push([]);
    (out[out.length - 1] as string[]).push(line);
  }
  return out;
}

/** The mid of an m-section's lines, if it has one. */
export function midOf(lines: readonly string[]): string | undefined {
  return lines.find((l) => l.startsWith("a=mid:"))?.slice(6);
}
