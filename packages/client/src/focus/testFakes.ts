// Fakes for the connection tests: a peer connection without media, a to-device channel that
// records what is sent, and local media without devices.

import type { CallEvent } from "@matrix-focus/protocol";
import type { ToDeviceChannel } from "../matrix/ToDeviceChannel.ts";
import type { LocalMedia } from "../tracks/LocalMedia.ts";
import { Emitter } from "../util/Emitter.ts";

type Listener = (ev: unknown) => void;

class FakeTarget {
  listeners = new Map<string, Listener[]>();
  addEventListener(type: string, l: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  fire(type: string, ev: unknown = {}) {
    for (const l of this.listeners.get(type) ?? []) l(ev);
  }
}

export class FakeDataChannel extends FakeTarget {
  readyState = "connecting";
  sent: { type: string; content: Record<string, unknown> }[] = [];
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  open() {
    this.readyState = "open";
    this.fire("open");
  }
}

export class FakePeerConnection extends FakeTarget {
  signalingState = "stable";
  connectionState = "new";
  iceConnectionState = "new";
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  channel = new FakeDataChannel();
  transceivers: { init: RTCRtpTransceiverInit; track: { kind: string; id: string } }[] = [];
  candidates: RTCIceCandidateInit[] = [];
  closed = false;
  calls: string[] = [];
  createDataChannel(label: string) {
    this.calls.push(`createDataChannel ${label}`);
    return this.channel;
  }
  addTransceiver(track: { kind: string; id: string }, init: RTCRtpTransceiverInit) {
    const t = {
      init,
      track,
      sender: { replaceTrack: async () => {} },
      mid: null,
      currentDirection: null,
    };
    this.transceivers.push({ init, track });
    return t;
  }
  async createOffer() {
    this.calls.push("createOffer");
    return { type: "offer", sdp: "v=0 offer" };
  }
  async setLocalDescription(d?: { type: string; sdp: string }) {
    this.localDescription = d ?? { type: "answer", sdp: "v=0 answer" };
    this.signalingState = this.localDescription.type === "offer" ? "have-local-offer" : "stable";
  }
  async setRemoteDescription(d: { type: string; sdp: string }) {
    this.remoteDescription = d;
    this.signalingState = d.type === "answer" ? "stable" : "have-remote-offer";
  }
  async addIceCandidate(c: RTCIceCandidateInit) {
    this.candidates.push(c);
  }
  getTransceivers() {
    return [];
  }
  getReceivers() {
    return [];
  }
  close() {
    this.closed = true;
  }
  /** Sets the peer connection's state and fires its change event, as the browser does. */
  setConnectionState(state: string) {
    this.connectionState = state;
    this.fire("connectionstatechange");
  }
  /** Sets the ICE connection state and fires its change event. */
  setIceConnectionState(state: string) {
    this.iceConnectionState = state;
    this.fire("iceconnectionstatechange");
  }
}

export class FakeToDevice extends Emitter<{
  callEventReceived: (e: CallEvent, sender: string) => void;
}> {
  sent: { userId: string; deviceId: string; type: string; content: Record<string, unknown> }[] = [];
  async send(
    userId: string,
    deviceId: string,
    msg: { type: string; content: Record<string, unknown> },
  ) {
    this.sent.push({ userId, deviceId, ...msg });
  }
  close() {}
  asChannel(): ToDeviceChannel {
    return this as unknown as ToDeviceChannel;
  }
}

export function fakeLocalMedia(): LocalMedia {
  const audio = { kind: "audio", id: "mic-track", enabled: true, getSettings: () => ({}) };
  const video = {
    kind: "video",
    id: "cam-track",
    enabled: true,
    getSettings: () => ({ width: 640, height: 480 }),
  };
  const stream = {
    id: "local-stream",
    getTracks: () => [audio, video],
    getAudioTracks: () => [audio],
    getVideoTracks: () => [video],
  };
  const local = new Emitter<Record<string, () => void>>() as unknown as Record<string, unknown>;
  Object.assign(local, {
    userMedia: stream,
    screen: undefined,
    micMuted: false,
    camMuted: false,
    audioTrack: audio,
    videoTrack: video,
    close() {},
  });
  return local as unknown as LocalMedia;
}
