// Reading an SDP for what the client needs: which msid (stream_id, track_id) each m-line
// (by mid) carries. Forwarded tracks are mapped to streams this way, so that it works whatever
// id the browser gives the received MediaStreamTrack.

export interface MsidEntry {
  mid: string;
  kind: string;
  streamId: string;
  trackId: string;
}

/** One entry per m-line that has a mid and an `a=msid:<stream> <track>` line. */
export function msidsByMid(sdp: string): Map<string, MsidEntry> {
  const out = new Map<string, MsidEntry>();
  const sections = sdp.split(/\r?\n(?=m=)/);
  for (const section of sections) {
    const m = /^m=(\w+) /.exec(section);
    if (m === null) continue;
    const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
    const msid = /^a=msid:(\S+) (\S+)/m.exec(section);
    if (mid === undefined || msid === null) continue;
    const streamId = msid[1] as string;
    const trackId = msid[2] as string;
    if (streamId === "-") continue;
    out.set(mid, { mid, kind: m[1] as string, streamId, trackId });
  }
  return out;
}
