// One group call (room_id + conf_id): a serial queue of inputs, its participants (one per
// call) and its publications. Every input, from the Matrix side or from a participant, is
// handled one at a time in arrival order; a failing input is logged and never stalls the queue.
import {
  type ConnectToFocusContent,
  HangupReason,
  type HangupReasonCode,
  type InviteContent,
  type SdpStreamMetadata,
} from "@matrix-focus/protocol";
import type { Logger } from "pino";
import { cascadeDefaults } from "../cascade/defaults.ts";
import type { IncomingLayer } from "../media/webrtc/IncomingLayer.ts";
import { SerialQueue } from "../util/SerialQueue.ts";
import { announce, mayForward, SubscribableSets, sendSubscribable } from "./announcements.ts";
import { type CallEventContext, handleCallEvent } from "./callEvents.ts";
import { type NewParticipant, newCallSender, newParticipant } from "./callParts.ts";
import type { ConferenceOptions } from "./conferenceOptions.ts";
import {
  type DataChannelContext,
  type DataChannelParticipant,
  handleDataChannelMessage,
} from "./dataChannel.ts";
import type { ConferenceLimits } from "./defaults.ts";
import { type ConferenceDump, dumpConference } from "./dump.ts";
import { EarlyCandidates } from "./earlyCandidates.ts";
import {
  type ConferenceInput,
  type ConferenceKey,
  type DeviceRef,
  deviceKeyString,
} from "./inputs.ts";
import {
  connectToFocusRefusal,
  type LinkDemand,
  type LinkView,
  linkViews,
  mirrorLinkTracks,
  perLayerView,
  updateLinkDemand,
} from "./links.ts";
import type { LinkEnd, Participant } from "./Participant.ts";
import { type Publication, publicationKey } from "./Publication.ts";
import { PublicationTable } from "./PublicationTable.ts";
import type { ParticipantInput } from "./participantInputs.ts";
import { ParticipantState } from "./states.ts";

export type { ConferenceOptions } from "./conferenceOptions.ts";
export type { LinkView } from "./links.ts";

export class Conference implements DataChannelContext {
  readonly key: ConferenceKey;
  readonly limits: ConferenceLimits;
  readonly #o: ConferenceOptions;
  readonly #log: Logger;
  readonly #queue: SerialQueue;
  /** By call_id. */
  readonly #calls = new Map<string, Participant>();
  readonly #publications: PublicationTable;
  readonly #earlyCandidates: EarlyCandidates;
  /** Cascading: by link call_id, what was last asked of the other focus. */
  readonly #linkDemand: LinkDemand = new Map();
  /** Whose publications changed since the last announcement (see #announce). */
  readonly #unannounced = new Set<Participant | undefined>();
  /** What call events other than invites may do to this conference (callEvents.ts). */
  readonly #callEvents: CallEventContext;
  #closed = false;

  constructor(o: ConferenceOptions) {
    this.#o = o;
    this.key = o.key;
    this.limits = o.limits;
    this.#log = o.logger;
    this.#queue = new SerialQueue((err) => this.#log.error({ err }, "conference input failed"));
    this.#publications = new PublicationTable(this.#calls, o, this.#log);
    this.#earlyCandidates = new EarlyCandidates(o.clock, o.limits.earlyCandidatesTtlMs);
    this.#callEvents = {
      focus: o.focus,
      log: this.#log,
      keepEarlyCandidates: (callId, c) => this.#earlyCandidates.keep(callId, c),
      endCall: (q, reason, sendHangup) => this.#endCall(q, reason, sendHangup),
      ownMetadataChanged: (q, meta) => this.ownMetadataChanged(q, meta),
      offerApplied: (q) => this.offerApplied(q),
    };
  }

  get participantCount(): number {
    return this.#calls.size;
  }

  /** Participants that are devices (not links to other foci). */
  get localParticipantCount(): number {
    let n = 0;
    for (const p of this.#calls.values()) if (!p.link) n++;
    return n;
  }

  /** Cascading: the link calls of this conference. */
  links(): LinkView[] {
    return linkViews(this.#calls.values(), this.#linkDemand);
  }

  /** Cascading: m.call.connect_to_focus from a participant or a link. */
  connectToFocus(c: ConnectToFocusContent): { errcode: "M_FORBIDDEN"; error: string } | undefined {
    return connectToFocusRefusal(this.key, c, this.#o.linkRequested);
  }

  /** Cascading: whether a publication may be sent to this participant. */
  mayForward(p: DataChannelParticipant, pub: Publication): boolean {
    const to = this.#calls.get(p.callId);
    return to === undefined || mayForward(to, pub);
  }

  /** A sibling part's per-layer track: the publication and the layer's size (layerTracks.ts). */
  layerView(p: DataChannelParticipant, streamId: string, trackId: string) {
    return perLayerView(this.#calls.get(p.callId), this.#publications, streamId, trackId);
  }

  get publicationCount(): number {
    return this.#publications.size;
  }

  get subscriptionCount(): number {
    let n = 0;
    for (const p of this.#calls.values()) n += p.subscriptions.size;
    return n;
  }

  hasCall(callId: string): boolean {
    return this.#calls.has(callId);
  }

  /** Queues an input. */
  handle(input: ConferenceInput | ParticipantInput): Promise<void> {
    return this.#queue.push(() => this.#process(input));
  }

  /** Resolves when every queued input has been handled (and what they queued in turn). */
  async idle(): Promise<void> {
    do await this.#queue.drain();
    while (this.#queue.pending > 0);
  }

  publication(streamId: string, trackId: string): Publication | undefined {
    return this.#publications.get(publicationKey(streamId, trackId));
  }

  ownMetadataChanged(p: DataChannelParticipant, metadata: SdpStreamMetadata): void {
    const participant = this.#calls.get(p.callId);
    if (!participant) return;
    participant.ownMetadata = metadata;
    if (participant.link)
      mirrorLinkTracks(participant, participant.link, this.#publications, this.#o);
    this.#announce(participant);
  }

  dump(): ConferenceDump {
    return dumpConference(this.key, this.#calls.values(), this.#publications.values());
  }

  offerApplied(p: DataChannelParticipant): void {
    if (this.#calls.get(p.callId)?.link) return; // a link's tracks follow its announcements
    const removed = this.#publications.unpublish(p.callId, (pub) => !pub.receiver.receiving);
    for (const pub of removed)
      this.#log.info(
        { callId: p.callId, streamId: pub.streamId, trackId: pub.trackId },
        "track unpublished",
      );
    if (removed.length > 0) this.#announce(this.#calls.get(p.callId));
  }

  /** Hangs up every call (reason focus_shutdown) and closes. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue.push(async () => {
      for (const p of [...this.#calls.values()])
        await this.#endCall(p, HangupReason.focusShutdown, false);
    });
    this.#closed = true;
    await this.#queue.close();
  }

  async #process(input: ConferenceInput | ParticipantInput): Promise<void> {
    try {
      await this.#processOne(input);
    } finally {
      if (this.#linkDemand.size > 0) updateLinkDemand(this.#calls, this.#linkDemand);
    }
  }

  async #processOne(input: ConferenceInput | ParticipantInput): Promise<void> {
    switch (input.kind) {
      case "linkRequested":
        return this.#dial(input.focus, input.callId, input.sibling === true);
      case "linkDropped": {
        const p = this.#calls.get(input.callId);
        if (p?.link) {
          this.#log.info({ callId: p.callId, focus: p.link.focus }, "link no longer wanted");
          await this.#endCall(p, HangupReason.userHangup, true);
        }
        return;
      }
      case "callEventReceived": {
        const { sender, event } = input;
        if (event.kind !== "invite")
          return handleCallEvent(
            this.#callEvents,
            this.#calls.get(event.content.call_id),
            sender,
            event,
          );
        const link = input.link
          ? { focus: sender, dialer: false, ...(input.sibling ? { sibling: true } : {}) }
          : undefined;
        return this.#invite(sender, event.content, link, input.callsElsewhere);
      }
      case "memberLeft":
        for (const p of [...this.#calls.values()]) {
          if (deviceKeyString(p.device) === deviceKeyString(input.member))
            await this.#endCall(p, HangupReason.userHangup, true);
        }
        return;
      case "dataChannelOpened": {
        const p = input.participant;
        if (p.ended) return;
        sendSubscribable(p, JSON.stringify(this.#subscribableFor(p)));
        await p.channelOpened();
        return;
      }
      case "dataChannelMessageReceived":
        if (!input.participant.ended)
          await handleDataChannelMessage(this, input.participant, input.raw);
        return;
      case "connectionStateChanged":
        return this.#connectionState(input.participant, input.state);
      case "layerArrived":
        return this.#layerArrived(input.participant, input.layer);
      case "keepAliveTimedOut":
        this.#log.info({ callId: input.participant.callId }, "no pong in time: hanging up");
        return this.#endCall(input.participant, HangupReason.keepAliveTimeout, true);
      case "answerOverdue":
        if (await input.participant.answerOverdue(input.offer))
          await this.#endCall(input.participant, HangupReason.negotiationTimeout, true);
        return;
      case "connectTimedOut":
        if (input.participant.state !== ParticipantState.connecting) return;
        this.#log.info({ callId: input.participant.callId }, "not connected in time: hanging up");
        return this.#endCall(input.participant, HangupReason.iceTimeout, true);
    }
  }

  async #invite(
    sender: DeviceRef,
    invite: InviteContent,
    link?: LinkEnd,
    callsElsewhere = 0,
  ): Promise<void> {
    if (this.#calls.has(invite.call_id)) {
      this.#log.debug({ callId: invite.call_id }, "repeated invite ignored");
      return;
    }
    const device = deviceKeyString(sender);
    const why = "device called again: replacing its call";
    await this.#replaceCalls((old) => deviceKeyString(old.device) === device, invite.call_id, why);
    const log = this.#log.child({
      callId: invite.call_id,
      userId: sender.userId,
      deviceId: sender.deviceId,
    });
    const callSender = newCallSender(
      this.#o,
      sender,
      invite.call_id,
      invite.sender_session_id,
      log,
    );
    if (this.#calls.size + callsElsewhere >= this.limits.maxParticipantsPerConference) {
      log.warn("conference full: refusing the call");
      await callSender.send("hangup", { reason: HangupReason.capacity });
      return;
    }
    const p = this.#newParticipant({
      device: sender,
      callId: invite.call_id,
      partyId: invite.party_id,
      sender: callSender,
      ...(link ? { link } : {}),
      logger: log,
    });
    p.ownMetadata = link ? {} : (invite.sdp_stream_metadata ?? {});
    this.#calls.set(invite.call_id, p);
    if (link) this.#linkDemand.set(p.callId, new Map());
    try {
      await p.answerInvite(invite.offer.sdp, this.#subscribableFor(p));
    } catch (err) {
      log.warn({ err }, "offer could not be answered");
      await this.#endCall(p, HangupReason.badOffer, true);
      return;
    }
    const early = this.#earlyCandidates.take(invite.call_id);
    if (early) await p.addRemoteCandidates(early);
    log.info("call answered");
  }

  #connectionState(p: Participant, state: string): Promise<void> | undefined {
    if (p.ended) return;
    if (state === "connected") p.setState(ParticipantState.connected);
    else if (state === "failed") {
      this.#log.info({ callId: p.callId }, "peer connection failed: hanging up");
      return this.#endCall(p, HangupReason.iceFailed, true);
    }
    return;
  }

  #layerArrived(p: Participant, layer: IncomingLayer): void {
    if (p.ended) return;
    const recheck = () => void this.#queue.push(() => this.#layerArrived(p, layer));
    this.#publications.layerArrived(p, layer, (changed) => this.#announce(changed), recheck);
  }

  /**
   * Announces changed publications once the inputs queued so far are handled: a burst of
   * arrivals (every layer and size of every publisher joining at once) becomes one message
   * per participant instead of one per change (docs/decisions/perf-announcements.md).
   */
  #announce(changed: Participant | undefined): void {
    const first = this.#unannounced.size === 0;
    this.#unannounced.add(changed);
    if (!first) return;
    void this.#queue.push(() => {
      const changes = new Set(this.#unannounced);
      this.#unannounced.clear();
      const sets = new SubscribableSets(this.#publications.values(), this.#calls, this.#o.focus);
      announce(changes, this.#calls.values(), (p) => sets.jsonFor(p));
    });
  }

  #subscribableFor(p: Participant): SdpStreamMetadata {
    return new SubscribableSets(this.#publications.values(), this.#calls, this.#o.focus).for(p);
  }

  async #endCall(p: Participant, reason: HangupReasonCode, sendHangup: boolean): Promise<void> {
    if (this.#calls.get(p.callId) !== p) return;
    this.#calls.delete(p.callId);
    this.#linkDemand.delete(p.callId);
    if (sendHangup) void p.hangup(reason);
    const removed = this.#publications.unpublish(p.callId, () => true).length > 0;
    await p.close();
    if (removed) this.#announce(p.link ? p : undefined);
    this.#log.info({ callId: p.callId, reason }, "call ended");
    if (this.#calls.size === 0) this.#o.emptied();
    this.#earlyCandidates.prune();
  }

  /** Ends (reason `replaced`) the calls that `match`, logging `why` for each. */
  async #replaceCalls(match: (p: Participant) => boolean, callId: string, why: string) {
    for (const old of [...this.#calls.values()]) {
      if (!match(old)) continue;
      this.#log.info({ old: old.callId, callId }, why);
      await this.#endCall(old, HangupReason.replaced, true);
    }
  }

  /** Cascading: places a link call to another focus or a sibling part (this side dials). */
  async #dial(focus: DeviceRef, callId: string, sibling: boolean): Promise<void> {
    const other = deviceKeyString(focus);
    const linked = (old: Participant) =>
      old.link !== undefined && deviceKeyString(old.link.focus) === other;
    await this.#replaceCalls(linked, callId, "linked again: replacing the link call");
    const log = this.#log.child({ callId, linkTo: focus });
    const p = this.#newParticipant({
      device: focus,
      callId,
      partyId: focus.deviceId,
      sender: newCallSender(this.#o, focus, callId, "", log),
      link: { focus, dialer: true, ...(sibling ? { sibling } : {}) },
      logger: log,
    });
    this.#calls.set(callId, p);
    this.#linkDemand.set(callId, new Map());
    try {
      await p.dial(
        this.#subscribableFor(p),
        this.#o.linkInviteLifetimeMs ?? cascadeDefaults.inviteLifetimeMs,
      );
      log.info("link call placed");
    } catch (err) {
      log.warn({ err }, "link call could not be placed");
      await this.#endCall(p, HangupReason.badOffer, true);
    }
  }

  #newParticipant(n: Omit<NewParticipant, "input" | "subscribable">): Participant {
    const p: Participant = newParticipant(this.#o, {
      ...n,
      input: (i) => void this.handle(i),
      subscribable: () => this.#subscribableFor(p),
    });
    return p;
  }
}
