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

const candidatesPerSection = (sdp: string) =>
  sdp
    .split("\r\nm=")
    .slice(1)
    .map((x) => x.split("\r\n").filter((l) => l.startsWith("a=candidate:")).length);

describe("WebRtcPeer offers", () => {
  it("leave candidates out of bundled m-sections once BUNDLE is in place, and a werift device accepts them", async () => {
    const focus = new WebRtcPeer(mediaOptions({ hostAddresses: ["127.0.0.1"] }), {});
    const device = new RTCPeerConnection({
      iceServers: [],
      iceAdditionalHostAddresses: ["127.0.0.1"],
    });
    closers.push(
      () => focus.close(),
      () => device.close(),
    );
    device.createDataChannel("control");
    device.addTransceiver("audio", { direction: "sendonly" });
    await device.setLocalDescription(await device.createOffer());
    const answer = await focus.acceptOffer(device.localDescription?.sdp ?? "");
    await device.setRemoteDescription({ type: "answer", sdp: answer });
    expect(candidatesPerSection(answer).every((n) => n > 0)).toBe(true);

    focus.addOutgoingTrack("audio", "stream-b", "audio-b");
    focus.addOutgoingTrack("video", "stream-b", "video-b");
    const offer = await focus.createOffer();
    const counts = candidatesPerSection(offer);
    expect(counts).toHaveLength(4);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts.slice(1)).toEqual([0, 0, 0]);
    await device.setRemoteDescription({ type: "offer", sdp: offer });
    await device.setLocalDescription(await device.createAnswer());
    await focus.acceptAnswer(device.localDescription?.sdp ?? "");
    expect(device.signalingState).toBe("stable");
    const mediaMids = offer
      .split("\r\nm=")
      .slice(1)
      .filter((x) => !x.startsWith("application"))
      .map((x) => /^a=mid:(\S+)/m.exec(x)?.[1]);
    expect(device.getTransceivers().map((t) => t.mid)).toEqual(mediaMids);
  });
});
