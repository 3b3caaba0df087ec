import { afterEach, describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import { mediaOptions } from "../defaults.ts";
import { WebRtcPeer } from "./WebRtcPeer.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const setupOf = (sdp: string) => [...sdp.matchAll(/^a=setup:(\w+)/gm)].map((m) => m[1]);

describe("WebRtcPeer answers", () => {
  it("make the caller the DTLS client (a=setup:passive), also when it offers again", async () => {
    const focus = new WebRtcPeer(mediaOptions({ hostAddresses: [] }), {});
    const device = new RTCPeerConnection({ iceServers: [] });
    closers.push(
      () => focus.close(),
      () => device.close(),
    );
    device.createDataChannel("control");
    device.addTransceiver("audio", { direction: "sendonly" });
    await device.setLocalDescription(await device.createOffer());
    const first = await focus.acceptOffer(device.localDescription?.sdp ?? "");
    expect(setupOf(first)).toEqual(["passive", "passive"]);
    await device.setRemoteDescription({ type: "answer", sdp: first });
    // werift on the other side takes the client role from that answer
    expect(device.dtlsTransports[0]?.role).toBe("client");

    device.addTransceiver("video", { direction: "sendonly" });
    await device.setLocalDescription(await device.createOffer());
    const second = await focus.acceptOffer(device.localDescription?.sdp ?? "");
    expect(new Set(setupOf(second))).toEqual(new Set(["passive"]));
  });
});
