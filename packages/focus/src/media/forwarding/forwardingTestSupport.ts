// Test support for the forwarding tests: an incoming layer the test pushes packets into, and
// VP8 packets with a picture id.
import { RtpHeader, RtpPacket } from "werift";
import { buildVp8Payload } from "../rtp/vp8.ts";
import type { IncomingLayer } from "../webrtc/IncomingLayer.ts";

/** An incoming layer of one SSRC: `push` delivers a packet, `nacks` records what it sent up. */
export function fakeLayer(rid: string, ssrc: number) {
  let deliver: (p: RtpPacket) => void = () => {};
  const nacks: number[][] = [];
  const layer = {
    kind: "video",
    rid,
    mid: "1",
    ssrc,
    receiving: true,
    onRtp: (fn: (p: RtpPacket) => void) => {
      deliver = fn;
      return () => {};
    },
    requestKeyframe: () => true,
    sendNack: (lost: number[]) => {
      nacks.push(lost);
      return true;
    },
  };
  return { layer: layer as unknown as IncomingLayer, push: (p: RtpPacket) => deliver(p), nacks };
}

/** A one-packet VP8 frame of 40 bytes with this picture id. */
export function vp8Packet(
  seq: number,
  pictureId: number,
  keyframe: boolean,
  ssrc: number,
): RtpPacket {
  const payload = Buffer.from(
    buildVp8Payload({ pictureId, tl0PicIdx: 3, start: true, keyframe, size: 40 }),
  );
  return new RtpPacket(
    new RtpHeader({ sequenceNumber: seq, timestamp: seq * 3000, ssrc, marker: true }),
    payload,
  );
}
