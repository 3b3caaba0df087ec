import v8 from "node:v8";
import { afterEach, describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import { FastRtpSender, type WeriftSenderLike } from "./FastRtpSender.ts";
import { SenderReports } from "./SenderReports.ts";

// V8's own test of an object's representation: fast (a hidden class, properties at fixed
// offsets) or dictionary mode (a hash table; every access a lookup).
v8.setFlagsFromString("--allow-natives-syntax");
const hasFastProperties = new Function("o", "return %HasFastProperties(o)") as (
  o: object,
) => boolean;

describe("FastRtpSender", () => {
  const pcs: RTCPeerConnection[] = [];
  afterEach(async () => {
    await Promise.all(pcs.splice(0).map((pc) => pc.close()));
  });

  it("leaves werift's sender object with fast properties, read on every packet it sends", () => {
    const pc = new RTCPeerConnection();
    pcs.push(pc);
    const sender = pc.addTransceiver("video", { direction: "sendonly" }).sender;
    expect(hasFastProperties(sender)).toBe(true);
    const fast = new FastRtpSender(sender as unknown as WeriftSenderLike, new SenderReports());
    // not connected: nothing is sent, nothing fails
    fast.send(true, 1, 1000, new Uint8Array(10));
    expect(fast.errors).toBe(0);
    expect(hasFastProperties(sender)).toBe(true);
  });
});
