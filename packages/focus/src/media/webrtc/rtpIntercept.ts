// The receive path for RTP of known streams, beside werift's. werift hands every datagram
// through a STUN parse attempt, three event chains, an SRTP decrypt that copies the header and
// payload into a new buffer, a second header parse, a header-extension table per packet and a
// clone per track before anyone sees it; in a call that was the largest part of the focus's
// CPU (docs/performance.md). Once a stream's SSRC is known (werift routed its first packets,
// by rid or SSRC), `accept(ssrc, sink)` makes its packets skip all that: the UDP socket's
// handler checks that a datagram is RTP of an accepted SSRC, decrypts it with the DTLS
// transport's own SRTP context (srtpUnprotect.ts), parses the header once and calls the sink.
// The header's extension list stays empty: the sinks (the forwarding path, which drops the
// publisher's extensions, and the benchmark's load) never read it.
// Everything else (STUN, DTLS, SCTP, RTX and streams not yet accepted) goes to werift as
// before. A sink that returns false gives its SSRC back to werift (e.g. its m-line ended).
// With `handleRtcp(fn)`, RTCP is decrypted here too (srtcpUnprotect.ts), replays are dropped
// (replayWindow.ts) and the plain compound offered to `fn`; what `fn` declines (returns false
// for) goes to werift as it came.
//
// API (also used by the benchmark's load generator):
//   const intercept = new RtpIntercept({ dropped: (why) => count(why) });  // dropped: optional
//   intercept.accept(ssrc, (packet) => { ...; return true; });  // any time
//   intercept.handleRtcp((plain) => router.handle(plain));   // optional
//   intercept.install(pc);     // once the connection is up (SRTP keys exist); idempotent
//   intercept.uninstall();     // restores werift's handlers, forgets the sinks
import { type RTCPeerConnection, RtpPacket } from "werift";
import { ReplayWindows } from "./replayWindow.ts";
import { parseRtpHeader } from "./rtpParse.ts";
import { type SrtcpRemoteContext, srtcpIndex, unprotectRtcp } from "./srtcpUnprotect.ts";
import { type SrtpRemoteContext, unprotectRtp } from "./srtpUnprotect.ts";

/** Receives one decrypted packet of an accepted SSRC; false = not mine any more. */
export type RtpSink = (packet: RtpPacket) => boolean;

/** Why a datagram was dropped: it did not authenticate (or parse), or its SRTCP index was seen. */
export type DropReason = "forged" | "replayed";

/** Reads one decrypted compound RTCP packet; false = not read, werift gets it. */
export type RtcpSink = (plain: Buffer) => boolean;

type OnData = (data: Buffer, addr: [string, number]) => void;

interface UdpTransportLike {
  type?: string;
  onData: OnData;
}

/** The parts of werift's RTCDtlsTransport used here (untyped internals). */
interface DtlsLike {
  srtp?: { remoteContext?: SrtpRemoteContext };
  srtcp?: { remoteContext?: SrtcpRemoteContext };
  bytesReceived: number;
  packetsReceived: number;
  iceTransport?: { connection?: { protocols?: { transport?: UdpTransportLike }[] } };
}

export class RtpIntercept {
  readonly #sinks = new Map<number, RtpSink>();
  readonly #hooked: { transport: UdpTransportLike; original: OnData }[] = [];
  #rtcp: RtcpSink | undefined;
  readonly #rtcpReplay = new ReplayWindows();
  readonly #dropped: ((why: DropReason) => void) | undefined;
  /** Packets delivered through this path. */
  delivered = 0;
  /** Packets of accepted SSRCs (and RTCP, once handled here) dropped as not authentic. */
  rejected = 0;
  /** Compound RTCP packets read here. */
  rtcpRead = 0;
  /** Authentic RTCP packets dropped as replays (an SRTCP index seen before, or too old). */
  replayed = 0;

  /** `dropped` hears of every datagram dropped here, and why (for the focus's counters). */
  constructor(options: { dropped?: (why: DropReason) => void } = {}) {
    this.#dropped = options.dropped;
  }

  /** Packets of this SSRC go to `sink` from now on (replaces an earlier sink). */
  accept(ssrc: number, sink: RtpSink): void {
    this.#sinks.set(ssrc >>> 0, sink);
  }

  /** RTCP is decrypted here and offered to `sink` from now on. */
  handleRtcp(sink: RtcpSink): void {
    this.#rtcp = sink;
  }

  release(ssrc: number): void {
    this.#sinks.delete(ssrc >>> 0);
  }

  /** Hooks the UDP sockets of every DTLS transport of `pc`; returns how many were hooked. */
  install(pc: RTCPeerConnection): number {
    let n = 0;
    for (const d of pc.dtlsTransports as unknown as DtlsLike[]) {
      for (const p of d.iceTransport?.connection?.protocols ?? []) {
        const transport = p.transport;
        if (transport?.type !== "udp") continue;
        if (this.#hooked.some((h) => h.transport === transport)) continue;
        const original = transport.onData;
        transport.onData = (data, addr) => {
          if (!this.#receive(d, data)) original(data, addr);
        };
        this.#hooked.push({ transport, original });
        n++;
      }
    }
    return n;
  }

  uninstall(): void {
    for (const h of this.#hooked) h.transport.onData = h.original;
    this.#hooked.length = 0;
    this.#sinks.clear();
    this.#rtcp = undefined;
  }

  /** True when the datagram was handled here (delivered or dropped as forged). */
  #receive(dtls: DtlsLike, data: Buffer): boolean {
    if (data.length < 12) return false;
    // RTP version 2 (RFC 7983 demultiplexing: STUN 0-3, DTLS 20-63, RTP/RTCP 128-191)
    if (((data[0] as number) & 0xc0) !== 0x80) return false;
    // RTCP packet types 192-223 share the second byte (RFC 5761 §4)
    const b1 = data[1] as number;
    if (b1 >= 192 && b1 <= 223) return this.#receiveRtcp(dtls, data);
    const ssrc = data.readUInt32BE(8);
    const sink = this.#sinks.get(ssrc);
    const ctx = dtls.srtp?.remoteContext;
    if (sink === undefined || ctx === undefined) return false;
    let header: ReturnType<typeof parseRtpHeader>;
    try {
      header = parseRtpHeader(data, false);
    } catch {
      return this.#drop("forged");
    }
    const plain = unprotectRtp(ctx, data, header.payloadOffset);
    if (plain === undefined) return this.#drop("forged");
    dtls.bytesReceived += data.length;
    dtls.packetsReceived++;
    let payload = plain;
    header.paddingSize = 0;
    if (header.padding && plain.length > 0) {
      const n = plain[plain.length - 1] as number;
      header.paddingSize = n;
      payload = plain.subarray(0, Math.max(0, plain.length - n));
    }
    this.delivered++;
    if (!sink(new RtpPacket(header, payload))) this.#sinks.delete(ssrc);
    return true;
  }

  /** Counts a dropped datagram and tells the owner; true: handled here. */
  #drop(why: DropReason): true {
    if (why === "forged") this.rejected++;
    else this.replayed++;
    this.#dropped?.(why);
    return true;
  }

  #receiveRtcp(dtls: DtlsLike, data: Buffer): boolean {
    const sink = this.#rtcp;
    const ctx = dtls.srtcp?.remoteContext;
    if (sink === undefined || ctx === undefined) return false;
    const plain = unprotectRtcp(ctx, data);
    // werift drops those that do not authenticate too (after counting them)
    if (plain === undefined) return this.#drop("forged");
    if (!this.#rtcpReplay.accept(data.readUInt32BE(4), srtcpIndex(ctx, data))) {
      return this.#drop("replayed");
    }
    if (!sink(plain)) return false;
    dtls.bytesReceived += data.length;
    dtls.packetsReceived++;
    this.rtcpRead++;
    return true;
  }
}
