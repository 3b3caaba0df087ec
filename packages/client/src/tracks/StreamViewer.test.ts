import { Values } from "@matrix-focus/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import { FakeClock } from "../util/Clock.ts";
import type { ObservedElement, ObserverFactory } from "./AdaptiveResolution.ts";
import { StreamViewer, type VideoElementLike } from "./StreamViewer.ts";
import type { SubscriptionUpdate } from "./SubscriptionManager.ts";

class FakeObservers implements ObserverFactory {
  resizeCb: Parameters<ObserverFactory["resize"]>[0] = () => {};
  intersectionCb: Parameters<ObserverFactory["intersection"]>[0] = () => {};
  resize(cb: Parameters<ObserverFactory["resize"]>[0]) {
    this.resizeCb = cb;
    return { observe() {}, unobserve() {}, disconnect() {} };
  }
  intersection(cb: Parameters<ObserverFactory["intersection"]>[0]) {
    this.intersectionCb = cb;
    return { observe() {}, unobserve() {}, disconnect() {} };
  }
}
class FakeStream {
  tracks: MediaStreamTrack[] = [];
  getTracks() {
    return [...this.tracks];
  }
  addTrack(t: MediaStreamTrack) {
    this.tracks.push(t);
  }
  removeTrack(t: MediaStreamTrack) {
    this.tracks = this.tracks.filter((x) => x !== t);
  }
}
const video = (w: number, h: number): VideoElementLike =>
  ({
    clientWidth: w,
    clientHeight: h,
    srcObject: null,
    autoplay: false,
    playsInline: false,
  }) as VideoElementLike;
const stream = (user: string) => ({
  user_id: user,
  device_id: "D",
  purpose: Values.purposeUsermedia,
  tracks: { [`${user}-a`]: { kind: "audio" as const }, [`${user}-v`]: { kind: "video" as const } },
});

describe("StreamViewer", () => {
  let clock: FakeClock;
  let sent: SubscriptionUpdate[];
  let obs: FakeObservers;
  let viewer: StreamViewer;

  beforeEach(() => {
    clock = new FakeClock();
    sent = [];
    obs = new FakeObservers();
    viewer = new StreamViewer({
      self: { userId: "@me:hs", deviceId: "ME" },
      clock,
      logger: silentLogger,
      send: (u) => {
        sent.push(u);
        return true;
      },
      makeStream: () => new FakeStream() as unknown as MediaStream,
      observers: obs,
      pixelRatio: () => 1,
    });
    viewer.subscriptions.setReady(true);
  });

  const all = () => ({
    subscribe: sent.flatMap((u) => u.subscribe),
    unsubscribe: sent.flatMap((u) => u.unsubscribe),
  });

  it("subscribes the audio of every remote stream and no video nobody shows", () => {
    viewer.setAvailable({ s1: stream("@a:hs"), s2: stream("@b:hs") });
    clock.advance(1000);
    expect(all().subscribe).toEqual([
      { stream_id: "s1", track_id: "@a:hs-a" },
      { stream_id: "s2", track_id: "@b:hs-a" },
    ]);
  });

  it("subscribes a video at the size it is shown once attached", () => {
    viewer.setAvailable({ s1: stream("@a:hs") });
    const el = video(640, 360);
    viewer.attach("s1", el);
    clock.advance(1000);
    expect(all().subscribe).toContainEqual({
      stream_id: "s1",
      track_id: "@a:hs-v",
      width: 640,
      height: 360,
    });
    expect(el.srcObject).toBe(viewer.list()[0]?.mediaStream);
  });

  it("unsubscribes the video of a tile that is hidden and keeps its audio", () => {
    viewer.setAvailable({ s1: stream("@a:hs") });
    const el = video(640, 360);
    viewer.attach("s1", el);
    clock.advance(1000);
    obs.intersectionCb([{ target: el as ObservedElement, isIntersecting: false }]);
    clock.advance(1000);
    expect(all().unsubscribe).toEqual([{ stream_id: "s1", track_id: "@a:hs-v" }]);
    expect(viewer.subscriptions.wanted).toEqual([{ stream_id: "s1", track_id: "@a:hs-a" }]);
  });

  it("uses the largest of several elements showing the same stream", () => {
    viewer.setAvailable({ s1: stream("@a:hs") });
    viewer.attach("s1", video(160, 90));
    viewer.attach("s1", video(1280, 720));
    clock.advance(1000);
    expect(viewer.subscriptions.wanted).toContainEqual({
      stream_id: "s1",
      track_id: "@a:hs-v",
      width: 1280,
      height: 720,
    });
  });

  it("gives an element attached before its stream was announced the stream when it comes", () => {
    const el = video(320, 180);
    viewer.attach("s1", el);
    expect(el.srcObject).toBeNull();
    viewer.setAvailable({ s1: stream("@a:hs") });
    clock.advance(1000);
    expect(el.srcObject).not.toBeNull();
    expect(all().subscribe).toContainEqual({
      stream_id: "s1",
      track_id: "@a:hs-v",
      width: 320,
      height: 180,
    });
  });

  it("announces the stream list when streams come and go", () => {
    const lists: string[][] = [];
    viewer.on("streamsChanged", (s) => lists.push(s.map((x) => x.id)));
    viewer.setAvailable({ s1: stream("@a:hs") });
    viewer.setAvailable({ s1: stream("@a:hs"), s2: stream("@b:hs") });
    viewer.setAvailable({ s2: stream("@b:hs") });
    expect(lists).toEqual([["s1"], ["s1", "s2"], ["s2"]]);
  });

  it("subscribes again to a stream that leaves the focus's metadata and comes back", () => {
    viewer.setAvailable({ s1: stream("@a:hs"), s2: stream("@b:hs") });
    const el = video(640, 360);
    viewer.attach("s1", el);
    clock.advance(1000);
    // The stream leaves (its link was replaced, its member moved to another focus): the focus
    // drops its subscriptions, so nothing is unsubscribed here.
    viewer.setAvailable({ s2: stream("@b:hs") });
    clock.advance(1000);
    expect(all().unsubscribe).toEqual([]);
    expect(viewer.subscriptions.wanted).toEqual([{ stream_id: "s2", track_id: "@b:hs-a" }]);
    sent = [];
    viewer.setAvailable({ s1: stream("@a:hs"), s2: stream("@b:hs") });
    clock.advance(1000);
    expect(all().subscribe).toEqual([
      { stream_id: "s1", track_id: "@a:hs-a" },
      { stream_id: "s1", track_id: "@a:hs-v", width: 640, height: 360 },
    ]);
    expect(el.srcObject).toBe(viewer.list().find((s) => s.id === "s1")?.mediaStream);
  });

  it("clears the element and unsubscribes on detach", () => {
    viewer.setAvailable({ s1: stream("@a:hs") });
    const el = video(640, 360);
    viewer.attach("s1", el);
    clock.advance(1000);
    viewer.detach(el);
    clock.advance(1000);
    expect(el.srcObject).toBeNull();
    expect(all().unsubscribe).toEqual([{ stream_id: "s1", track_id: "@a:hs-v" }]);
  });
});
