// The call object apps use. It composes the parts: LocalMedia (own media), a MembershipPublisher
// (room state), FocusConnection (one call to one focus at a time), StreamViewer (remote streams
// and subscriptions) and the reconnect logic (ReconnectPolicy + FocusSelector on failure).

import { HangupReason } from "@matrix-focus/protocol";
import { streamStats, viewerDump } from "./callInspection.ts";
import { canTransition } from "./callState.ts";
import { CallDefaults } from "./defaults.ts";
import { CallError, CallErrorReason, type CallErrorReasonCode } from "./errors.ts";
import type { FocusConnection } from "./focus/FocusConnection.ts";
import {
  focusKey,
  type MemberFoci,
  type SelectionMode,
  selectFoci,
} from "./focus/FocusSelector.ts";
import type { ReconnectPolicy } from "./focus/ReconnectPolicy.ts";
import type { Logger } from "./log.ts";
import { randomId } from "./matrix/callMessages.ts";
import type { MembershipPublisher } from "./matrix/MembershipPublisher.ts";
import type { ToDeviceChannel } from "./matrix/ToDeviceChannel.ts";
import type { ObserverFactory } from "./tracks/AdaptiveResolution.ts";
import type { LocalMedia } from "./tracks/LocalMedia.ts";
import { StreamViewer, type VideoElementLike } from "./tracks/StreamViewer.ts";
import { BitrateMeter } from "./tracks/stats.ts";
import type {
  Call,
  CallDump,
  CallEvents,
  CallState,
  FocusRef,
  RemoteStream,
  StreamStats,
} from "./types.ts";
import type { Clock, TimerHandle } from "./util/Clock.ts";
import { Emitter } from "./util/Emitter.ts";

export interface CallParts {
  roomId: string;
  confId: string;
  userId: string;
  deviceId: string;
  sessionId: string;
  membershipShape: "perDevice" | "legacy";
  selectionMode: SelectionMode;
  ownPreferred: FocusRef[];
  readMembers: () => MemberFoci[];
  beforeCalling: (focus: FocusRef) => Promise<void>;
  local: LocalMedia;
  membership: MembershipPublisher;
  toDevice: ToDeviceChannel;
  policy: ReconnectPolicy;
  clock: Clock;
  logger: Logger;
  /**
   * Builds the connection to one focus (options other than these come from the caller);
   * `answerTimeoutMs` overrides the usual answer timeout when given.
   */
  connect: (focus: FocusRef, callId: string, answerTimeoutMs?: number) => FocusConnection;
  makeStream: () => MediaStream;
  /** Element observers (default: the browser's ResizeObserver and IntersectionObserver). */
  observers?: ObserverFactory;
}

export class CallImpl implements Call {
  #p: CallParts;
  #events: Emitter<CallEvents>;
  #state: CallState = "connecting";
  #conn: FocusConnection | undefined;
  #focus: FocusRef | undefined;
  #candidates: FocusRef[] = [];
  #attempt = 0;
  #attemptsOnFocus = 0;
  /** The call moved to #focus and has not connected to it since. */
  #afterSwitch = false;
  #failed = new Set<string>();
  #latency = new Map<string, number>();
  #timer: TimerHandle | undefined;
  #viewer: StreamViewer;
  #meter = new BitrateMeter();

  constructor(p: CallParts) {
    this.#p = p;
    this.#events = new Emitter<CallEvents>(p.logger);
    this.#viewer = new StreamViewer({
      self: { userId: p.userId, deviceId: p.deviceId },
      clock: p.clock,
      logger: p.logger,
      send: (u) => this.#conn?.sendSubscription(u) ?? false,
      makeStream: p.makeStream,
      ...(p.observers !== undefined ? { observers: p.observers } : {}),
      ...(typeof devicePixelRatio === "number" ? { pixelRatio: () => devicePixelRatio } : {}),
    });
    this.#viewer.on("streamsChanged", (s) => {
      p.logger.info(
        `remote streams: ${s.map((x) => `${x.id} (${x.userId})`).join(", ") || "none"}`,
      );
      this.#events.emit("streamsChanged", s);
    });
    p.local.on("screenShareEnded", () => void this.stopScreenShare());
  }

  get state(): CallState {
    return this.#state;
  }
  get focus(): FocusRef | undefined {
    return this.#focus;
  }
  get localStream(): MediaStream {
    return this.#p.local.userMedia;
  }
  get remoteStreams(): RemoteStream[] {
    return this.#viewer.list();
  }
  get microphoneMuted(): boolean {
    return this.#p.local.micMuted;
  }
  get cameraMuted(): boolean {
    return this.#p.local.camMuted;
  }
  get screenSharing(): boolean {
    return this.#p.local.screen !== undefined;
  }

  on<E extends keyof CallEvents>(e: E, l: CallEvents[E]): () => void {
    return this.#events.on(e, l);
  }

  /** Chooses a focus, writes the membership and calls the focus. */
  async begin(): Promise<void> {
    this.#candidates = this.#select();
    const focus = this.#candidates[0];
    if (focus === undefined) throw CallError.noFocus(this.#p.roomId);
    await this.#useFocus(focus);
    this.#startConnection();
  }

  attach(streamId: string, video: HTMLVideoElement): void {
    this.#viewer.attach(streamId, video as unknown as VideoElementLike);
  }

  detach(video: HTMLVideoElement): void {
    this.#viewer.detach(video as unknown as VideoElementLike);
  }

  async setMicrophoneMuted(m: boolean): Promise<void> {
    this.#p.local.setMicMuted(m);
    this.#conn?.sendMetadataChanged();
    this.#p.logger.info(`microphone ${m ? "muted" : "unmuted"}`);
  }

  async setCameraMuted(m: boolean): Promise<void> {
    this.#p.local.setCamMuted(m);
    await this.#conn?.publisher.setCameraSending(!m);
    this.#conn?.sendMetadataChanged();
    this.#p.logger.info(`camera ${m ? "muted" : "unmuted"}`);
  }

  async startScreenShare(stream?: MediaStream): Promise<void> {
    this.#assertActive();
    if (this.screenSharing) return;
    const screen = await this.#p.local.startScreen(stream);
    this.#conn?.publisher.publishScreen(screen);
    this.#p.logger.info(`screen share started (stream ${screen.id})`);
  }

  async stopScreenShare(): Promise<void> {
    if (!this.screenSharing) return;
    this.#conn?.publisher.unpublishScreen();
    this.#p.local.stopScreen();
    this.#p.logger.info("screen share stopped");
  }

  async switchCamera(deviceId: string): Promise<void> {
    const track = await this.#p.local.switchDevice("video", deviceId);
    await this.#conn?.publisher.replaceTrack("video", track);
    this.#events.emit("localStreamChanged", this.#p.local.userMedia);
  }

  async switchMicrophone(deviceId: string): Promise<void> {
    const track = await this.#p.local.switchDevice("audio", deviceId);
    await this.#conn?.publisher.replaceTrack("audio", track);
    this.#events.emit("localStreamChanged", this.#p.local.userMedia);
  }

  async getStats(streamId: string): Promise<StreamStats | undefined> {
    const conn = this.#conn;
    if (conn === undefined) return undefined;
    return streamStats(conn, this.#viewer, this.#meter, streamId);
  }

  async leave(): Promise<void> {
    if (this.#state === "ended") return;
    const p = this.#p;
    p.clock.clearTimeout(this.#timer);
    const conn = this.#conn;
    this.#conn = undefined;
    this.#setState("ended", "left");
    const hangup = conn?.hangup(HangupReason.userHangup) ?? Promise.resolve();
    const leaving = p.membership
      .leave()
      .catch((e) => p.logger.warn("could not remove the membership", e));
    let timeout: TimerHandle | undefined;
    await Promise.race([
      Promise.all([hangup, leaving]),
      new Promise((r) => {
        timeout = p.clock.setTimeout(() => r(undefined), CallDefaults.leaveTimeoutMs);
      }),
    ]);
    p.clock.clearTimeout(timeout);
    this.#viewer.close();
    p.local.close();
    p.toDevice.close();
    this.#events.removeAll();
  }

  dump(): CallDump {
    return {
      state: this.#state,
      roomId: this.#p.roomId,
      confId: this.#p.confId,
      callId: this.#conn?.callId,
      focus: this.#focus,
      candidates: this.#candidates,
      membershipShape: this.#p.membershipShape,
      attempt: this.#attempt,
      ...viewerDump(this.#viewer),
      signalingState: this.#conn?.pc.signalingState,
      connectionState: this.#conn?.pc.connectionState,
    };
  }

  #select(): FocusRef[] {
    const p = this.#p;
    return selectFoci({
      mode: p.selectionMode,
      self: { userId: p.userId, deviceId: p.deviceId },
      ownPreferred: p.ownPreferred,
      members: p.readMembers(),
      latencyMs: this.#latency,
      excluded: this.#failed,
    });
  }

  async #useFocus(focus: FocusRef): Promise<void> {
    const p = this.#p;
    const changed = this.#focus === undefined || focusKey(this.#focus) !== focusKey(focus);
    this.#focus = focus;
    p.logger.info(`using focus ${focus.user_id}/${focus.device_id}`);
    if (!changed) return;
    this.#afterSwitch = true;
    await p.beforeCalling(focus);
    await p.membership.publish(focus, p.ownPreferred);
    this.#events.emit("focusChanged", focus);
  }

  #startConnection(): void {
    const p = this.#p;
    const focus = this.#focus;
    if (focus === undefined || this.#state === "ended" || this.#state === "failed") return;
    const conn = p.connect(focus, randomId(), this.#reconnectAnswerTimeout(focus));
    this.#conn = conn;
    this.#viewer.resetConnection();
    conn.on("connected", () => {
      this.#attempt = 0;
      this.#attemptsOnFocus = 0;
      this.#afterSwitch = false;
      if (conn.answerLatencyMs !== undefined)
        this.#latency.set(focusKey(focus), conn.answerLatencyMs);
      this.#viewer.subscriptions.setReady(true);
      this.#setState("connected");
    });
    conn.on("ended", (reason, code, hangupReason) =>
      this.#onLost(conn, reason, code, hangupReason),
    );
    conn.on("availableStreamsReceived", (md) => this.#viewer.setAvailable(md));
    conn.on("carriedStreamsReceived", (md) => this.#viewer.setCarried(md));
    conn.on("receivedTracksChanged", (t) => this.#viewer.setReceived(t));
    conn
      .start()
      .catch((e) =>
        this.#onLost(conn, `could not start the call: ${e}`, CallErrorReason.negotiationFailed),
      );
  }

  // A reconnect to a focus that answered before waits for its answer only a multiple of the
  // latency it showed (within a floor and the usual timeout): a dead focus is given up in
  // seconds, not after the attempts per focus times the full answer timeout.
  #reconnectAnswerTimeout(focus: FocusRef): number | undefined {
    const latency = this.#latency.get(focusKey(focus));
    if (this.#attempt === 0 || latency === undefined) return undefined;
    const d = CallDefaults;
    const scaled = latency * d.reconnectAnswerLatencyFactor;
    return Math.min(d.answerTimeoutMs, Math.max(d.reconnectAnswerTimeoutMinMs, scaled));
  }

  #onLost(
    conn: FocusConnection,
    reason: string,
    code: CallErrorReasonCode,
    hangupReason?: string,
  ): void {
    if (conn !== this.#conn || this.#state === "ended" || this.#state === "failed") return;
    const p = this.#p;
    this.#conn = undefined;
    this.#viewer.subscriptions.setReady(false);
    if (code === CallErrorReason.focusHungUp) conn.close();
    else {
      const why =
        code === CallErrorReason.pingTimeout
          ? HangupReason.keepAliveTimeout
          : HangupReason.iceFailed;
      void conn.hangup(why);
    }
    this.#events.emit("error", new CallError(code, reason));
    this.#attempt++;
    this.#attemptsOnFocus++;
    const attemptsOnFocus = this.#attemptsOnFocus;
    if (
      this.#focus !== undefined &&
      attemptsOnFocus >= this.#attemptsAllowed(this.#focus, code, hangupReason)
    ) {
      this.#failed.add(focusKey(this.#focus));
      this.#attemptsOnFocus = 0;
    }
    let next = this.#select();
    if (next.length === 0 && this.#failed.size > 0) {
      this.#failed.clear();
      next = this.#select();
    }
    this.#candidates = next;
    const delay = p.policy.nextDelayMs({
      attempt: this.#attempt - 1,
      attemptsOnFocus: this.#attemptsOnFocus,
      reason,
      ...(hangupReason !== undefined ? { hangupReason } : {}),
      afterSwitch: this.#afterSwitch && this.#attemptsOnFocus > 0,
    });
    const focus = next[0];
    if (delay === undefined || focus === undefined) {
      const gaveUp = new CallError(
        CallErrorReason.reconnectGaveUp,
        `gave up reconnecting: ${reason}`,
      );
      this.#events.emit("error", gaveUp);
      this.#setState("failed", gaveUp.message);
      return;
    }
    this.#setState("reconnecting", reason);
    p.logger.info(`reconnecting to ${focus.user_id} in ${delay} ms (attempt ${this.#attempt})`);
    this.#timer = p.clock.setTimeout(() => {
      this.#useFocus(focus)
        .catch((e) => p.logger.warn("could not update the membership; calling anyway", e))
        .then(() => this.#startConnection());
    }, delay);
  }

  // A focus that stopped answering (it did not hang up) is left after the policy's attempts per
  // silent focus when another candidate exists; otherwise it gets the usual attempts per focus.
  // A focus that is full (hung up with `capacity`: the user has too many calls there, or the
  // conference is full) gets as few attempts as a silent one when there is another candidate.
  #attemptsAllowed(focus: FocusRef, code: CallErrorReasonCode, hangupReason?: string): number {
    const policy = this.#p.policy;
    const silent = policy.attemptsPerSilentFocus;
    const full = hangupReason === HangupReason.capacity;
    if (silent === undefined || (code === CallErrorReason.focusHungUp && !full))
      return policy.attemptsPerFocus;
    if (code === CallErrorReason.negotiationFailed) return policy.attemptsPerFocus;
    const others = this.#select().some((f) => focusKey(f) !== focusKey(focus));
    return others ? Math.min(silent, policy.attemptsPerFocus) : policy.attemptsPerFocus;
  }

  #setState(to: CallState, reason?: string): void {
    const from = this.#state;
    if (from === to) return;
    if (!canTransition(from, to)) {
      this.#p.logger.warn(`refused state change ${from} -> ${to}`);
      return;
    }
    this.#state = to;
    this.#p.logger.info(`state ${from} -> ${to}${reason ? ` (${reason})` : ""}`);
    this.#events.emit("stateChanged", to, reason);
  }

  #assertActive(): void {
    if (this.#state === "ended" || this.#state === "failed") {
      throw CallError.invalidState(`the call has ${this.#state}`);
    }
  }
}
