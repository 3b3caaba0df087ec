// Who load participant i is towards our focus: Matrix user and device, and the ids of the
// stream and tracks it publishes; plus the msid lines the deployed client puts in its offer.

export interface FocusParty {
  userId: string;
  deviceId: string;
  streamId: string;
  audioTrackId: string;
  videoTrackId: string;
}

export function focusParty(index: number): FocusParty {
  return {
    userId: `@bench${index}:bench.invalid`,
    deviceId: `BENCH${index}`,
    streamId: `bench-stream-${index}`,
    audioTrackId: `bench-audio-${index}`,
    videoTrackId: `bench-video-${index}`,
  };
}

/** Adds `a=msid:<stream> <track>` to the m-sections whose mid is a key of `byMid`. */
export function addMsid(sdp: string, byMid: Record<string, [string, string]>): string {
  const eol = sdp.includes("\r\n") ? "\r\n" : "\n";
  return sdp
    .split(/(?=^m=)/m)
    .map((section) => {
      const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
      const ids = mid === undefined ? undefined : byMid[mid];
      if (!ids || /^a=msid:/m.test(section)) return section;
      return section.replace(/^(a=mid:\S+)(\r?\n)/m, `$1$2a=msid:${ids[0]} ${ids[1]}${eol}`);
    })
    .join("");
}
