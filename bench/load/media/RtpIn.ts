// The subscribers' lean receive path. werift hands every datagram through a STUN parse
// attempt, several event chains, an SRTP decrypt with raw-key imports and copies, header
// extension objects and a clone per packet: about 50-90 us per packet, so one load core
// received only ~10k packets/s (docs/benchmark.md). A subscriber needs only the bench marker
// and the VP8 descriptor at the start of each payload and the arrival time, so here the UDP
// socket's handler takes every RTP datagram (RFC 7983: first byte 128-191; RFC 5761: not an
// RTCP packet type), decrypts only the first `peekBytes` of the payload (srtp.ts) and hands
// them to the sink. Every `verifyEvery`-th packet is decrypted and authenticated in full, so
// a SUT that broke SRTP would show up as `rejected`. STUN, DTLS, SCTP and RTCP go to werift.
// werift's receivers therefore see no RTP: the load generator sends no NACKs, PLIs or
// receiver reports of its own (loss is not repaired; see docs/benchmark.md).
import type { RTCPeerConnection } from "werift";
import {
  type DtlsWithSrtp,
  peekPayload,
  RolloverTracker,
  rtpHeaderLength,
  type SrtpKeys,
  srtpKeys,
  unprotect,
} from "./srtp.ts";

/** Gets the first bytes of a payload, the payload's full length and the arrival time (ms). */
export type PayloadSink = (head: Buffer, payloadBytes: number, arrivedAt: number) => void;

type OnData = (data: Buffer, addr: [string, number]) => void;

interface UdpTransportLike {
  type?: string;
  onData: OnData;
  socket?: { setRecvBufferSize(n: number): void; getRecvBufferSize(): number };
}

/** The parts of werift's RTCDtlsTransport used here (untyped internals of werift 0.25.2). */
interface DtlsLike extends DtlsWithSrtp {
  iceTransport?: { connection?: { protocols?: { transport?: UdpTransportLike }[] } };
}

export interface RtpInOptions {
  /** Payload bytes decrypted per packet (the marker lies within the first 48). */
  peekBytes?: number;
  /** Every n-th packet is decrypted and authenticated in full (0 = never). */
  verifyEvery?: number;
  /** Receive buffer asked for on each hooked socket, bytes (0 = leave as is). */
  receiveBufferBytes?: number;
  now(): number;
}

function enlarge(t: UdpTransportLike, bytes: number): void {
  try {
    if (bytes > 0 && (t.socket?.getRecvBufferSize() ?? bytes) < bytes) {
      t.socket?.setRecvBufferSize(bytes);
    }
  } catch {
    // a socket closed meanwhile
  }
}

/** Asks for `bytes` of receive buffer on every UDP socket of `pc`'s ICE transports. */
export function enlargeReceiveBuffers(pc: RTCPeerConnection, bytes: number): void {
  for (const d of pc.dtlsTransports as unknown as DtlsLike[]) {
    for (const p of d.iceTransport?.connection?.protocols ?? []) {
      if (p.transport?.type === "udp") enlarge(p.transport, bytes);
    }
  }
}

/** Counts of every RtpIn of the process (reported per window). */
export const rtpInTotals = { delivered: 0, verified: 0, rejected: 0 };

export class RtpIn {
  readonly #sink: PayloadSink;
  readonly #o: Required<RtpInOptions>;
  readonly #hooked: { transport: UdpTransportLike; original: OnData }[] = [];
  readonly #roc = new RolloverTracker();
  #keys: SrtpKeys | undefined;
  #keyedFrom: unknown;
  /** Packets handed to the sink. */
  delivered = 0;
  /** Packets checked in full, and those of them that did not authenticate (dropped). */
  verified = 0;
  rejected = 0;

  constructor(sink: PayloadSink, o: RtpInOptions) {
    this.#sink = sink;
    this.#o = { peekBytes: 64, verifyEvery: 64, receiveBufferBytes: 0, ...o };
  }

  /** Hooks the UDP sockets of every DTLS transport of `pc` (once connected); idempotent. */
  install(pc: RTCPeerConnection): number {
    let n = 0;
    for (const d of pc.dtlsTransports as unknown as DtlsLike[]) {
      for (const p of d.iceTransport?.connection?.protocols ?? []) {
        const transport = p.transport;
        if (transport?.type !== "udp") continue;
        if (this.#hooked.some((h) => h.transport === transport)) continue;
        enlarge(transport, this.#o.receiveBufferBytes);
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
  }

  /** True when the datagram was handled here. */
  #receive(dtls: DtlsLike, data: Buffer): boolean {
    const at = this.#o.now();
    if (data.length < 12 || ((data[0] as number) & 0xc0) !== 0x80) return false;
    const b1 = data[1] as number;
    if (b1 >= 192 && b1 <= 223) return false;
    if (this.#keyedFrom !== dtls.srtp) {
      this.#keys = dtls.srtp ? srtpKeys(dtls, "remote") : undefined;
      this.#keyedFrom = dtls.srtp;
    }
    const k = this.#keys;
    if (!k) return false;
    const headerLength = rtpHeaderLength(data);
    const payloadBytes = data.length - headerLength - k.tagLength;
    if (headerLength < 0 || payloadBytes < 0) return true;
    const roc = this.#roc.roc(data.readUInt32BE(8), data.readUInt16BE(2));
    const v = this.#o.verifyEvery;
    if (v > 0 && this.delivered % v === 0) {
      this.verified++;
      rtpInTotals.verified++;
      const full = unprotect(k, data, headerLength, roc);
      if (!full) {
        this.rejected++;
        rtpInTotals.rejected++;
        return true;
      }
      this.delivered++;
      rtpInTotals.delivered++;
      this.#sink(full, payloadBytes, at);
      return true;
    }
    this.delivered++;
    rtpInTotals.delivered++;
    this.#sink(peekPayload(k, data, headerLength, roc, this.#o.peekBytes), payloadBytes, at);
    return true;
  }
}
