import { describe, expect, it } from "vitest";
import { areaOf, type CpuProfile, selfTimes, shortUrl } from "./cpuProfile.ts";

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

// root -> a (ours) -> b (werift); samples: idle, a, b, b, gc, with 1 ms between samples
const profile: CpuProfile = {
  startTime: 0,
  endTime: 5000,
  nodes: [
    { id: 1, callFrame: frame("(root)", ""), children: [2, 4, 5] },
    { id: 2, callFrame: frame("send", "file:///work/main/packages/focus/src/x.ts"), children: [3] },
    { id: 3, callFrame: frame("dispatchRtp", "file:///n/node_modules/werift/lib/index.mjs") },
    { id: 4, callFrame: frame("(idle)", "") },
    { id: 5, callFrame: frame("(garbage collector)", "") },
  ],
  samples: [4, 2, 3, 3, 5, 4],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000],
};

describe("CPU profile summary", () => {
  it("adds up self time per function from the sample gaps and leaves idle out of the shares", () => {
    const { busyMs, idleMs, top } = selfTimes(profile);
    expect(idleMs).toBe(1);
    expect(busyMs).toBe(4);
    expect(top.map((t) => [t.name, t.ms, t.share])).toEqual([
      ["dispatchRtp", 2, 0.5],
      ["send", 1, 0.25],
      ["(garbage collector)", 1, 0.25],
    ]);
  });

  it("names where code lives and which area it counts for", () => {
    expect(shortUrl("file:///w/node_modules/werift/lib/index.mjs")).toBe("werift/lib/index.mjs");
    expect(shortUrl("file:///work/main/packages/focus/src/a.ts")).toBe("packages/focus/src/a.ts");
    expect(areaOf("update", "node:internal/crypto/cipher")).toBe("node crypto (SRTP, DTLS)");
    expect(areaOf("send", "")).toBe("UDP send/receive (node:dgram)");
    expect(areaOf("x", "file:///w/packages/focus/src/a.ts")).toBe("matrix-focus code");
    expect(areaOf("(garbage collector)", "")).toBe("garbage collection");
  });
});
