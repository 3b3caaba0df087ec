// The forwarding send path around one werift RTCRtpSender. werift's own path (sendRtp ->
// dispatchRtp) clones every packet, rebuilds its header extensions as objects, keeps the clone
// in a 128-packet history, serialises, concatenates and goes through four promises per packet.
// Here a packet is: a header copied from a per-stream template, SRTP with the sender's own
// context (srtpProtect.ts, KeyObject keys), one gathering socket send. werift stays in charge
// of ICE, DTLS, RTCP (it still writes the sender reports from the counters updated here) and
// the negotiated parameters (payload type, SSRC, mid, extension ids, RTX) read from it.
// Retransmissions are the caller's (TrackSender answers NACKs from the publisher's packets).
import { RtpHeader, RtpPacket } from "werift";
import { gcmContextFor, type NativeSrtp, nativeSrtp } from "./nativeSrtp.ts";
import { type HeaderTemplate, headerTemplate, writeHeader, writeHeaderInto } from "./rtpHeader.ts";
import type { ReportedSender, SenderReports } from "./SenderReports.ts";
import { sendQueue, type UdpDestination, udpDestination } from "./sendQueue.ts";
import { type DtlsSrtpState, useKeyObjects } from "./srtpKeys.ts";
import {
  protectRtp,
  SRTP_AEAD_AES_128_GCM,
  type SrtpLocalContext,
  SsrcRollover,
} from "./srtpProtect.ts";
import { wallClockMs } from "./wallClock.ts";

/** The parts of werift's objects used here (untyped internals of werift 0.25.2). */
interface UdpLike {
  type: string;
  closed?: boolean;
  socket?: {
    send(msg: Buffer[], port: number, address: string, cb: (e: Error | null) => void): void;
  };
}
interface PairLike {
  protocol: { transport?: UdpLike };
  remoteAddr: [string, number];
  packetsSent: number;
  bytesSent: number;
}
interface ConnectionLike {
  nominated?: PairLike;
  canSendApplicationData(): boolean;
  send(data: Buffer): Promise<void>;
}
interface DtlsLike extends DtlsSrtpState {
  state: string;
  bytesSent: number;
  packetsSent: number;
  iceTransport: { connection: ConnectionLike };
  srtp?: DtlsSrtpState["srtp"] & { localContext?: unknown };
}
export interface WeriftSenderLike {
  ssrc: number;
  rtxSsrc: number;
  rtxPayloadType?: number;
  rtxSequenceNumber: number;
  redRedundantPayloadType?: number;
  mid?: string;
  headerExtensions: { id: number; uri: string }[];
  codec?: { payloadType: number };
  stopped?: boolean;
  dtlsTransport?: DtlsLike;
  packetCount: number;
  octetCount: number;
  rtpTimestamp: number;
  headerBytesSent: number;
  retransmittedPacketsSent: number;
  retransmittedBytesSent: number;
  sendRtp(p: RtpPacket): Promise<void>;
}

interface Template extends HeaderTemplate {
  pt: number;
  ssrc: number;
  mid: string | undefined;
  exts: readonly unknown[];
}

/** Where the native path sends: the nominated pair's socket and remote address. */
interface Destination extends UdpDestination {
  pair: PairLike;
}

const GCM_TAG = 16;

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;
const noop = () => {};

/** 64-bit NTP timestamp (RFC 3550 §4) of a Unix time in ms. */
export function ntpFromMs(ms: number): bigint {
  const sec = Math.floor(ms / 1000);
  const frac = Math.floor(((ms - sec * 1000) / 1000) * 0x100000000);
  return (BigInt(sec + NTP_UNIX_OFFSET) << 32n) | BigInt(frac >>> 0);
}

export class FastRtpSender {
  readonly #s: WeriftSenderLike;
  #media: Template | undefined;
  #rtx: Template | undefined;
  #keyed: unknown;
  #lastSentMs = 0;
  #dest: Destination | undefined;
  readonly #rollover = new SsrcRollover();
  /** Packets sent through werift's own path (RED negotiated, or no SRTP context to use). */
  fallbacks = 0;
  /** Packets dropped because protecting or sending them threw, and the last error. */
  errors = 0;
  lastError: string | undefined;
  /** Told about every packet dropped because protecting or sending it threw. */
  onFailure: ((message: string) => void) | undefined;

  readonly #reports: SenderReports;
  #reported = false;

  /** `reports`: the connection's sender reports, which this sender joins once it sends. */
  constructor(sender: WeriftSenderLike, reports: SenderReports) {
    this.#s = sender;
    this.#reports = reports;
  }

  /** Sends one packet with the given (already rewritten) header fields. */
  send(marker: boolean, sequenceNumber: number, timestamp: number, payload: Uint8Array): void {
    const s = this.#s;
    const ctx = this.#ready();
    if (ctx === undefined) return;
    if (ctx === null) {
      this.#fallback(marker, sequenceNumber, timestamp, payload);
      return;
    }
    const now = wallClockMs();
    let headerLength: number;
    try {
      const n = ctx.profile === SRTP_AEAD_AES_128_GCM ? nativeSrtp() : undefined;
      const dest = n ? this.#destination() : undefined;
      if (n && dest) {
        headerLength = this.#sendNative(
          n,
          ctx,
          dest,
          marker,
          sequenceNumber,
          timestamp,
          now,
          payload,
        );
      } else {
        const header = writeHeader(this.#template(false), marker, sequenceNumber, timestamp, now);
        headerLength = header.length;
        this.#transmit(protectRtp(ctx, header, payload));
      }
    } catch (e) {
      this.#failed(e);
      return;
    }
    s.packetCount = (s.packetCount + 1) >>> 0;
    s.octetCount += payload.length;
    s.headerBytesSent += headerLength;
    s.rtpTimestamp = timestamp;
    this.#lastSentMs = now;
    if (!this.#reported) {
      this.#reported = true;
      // the report's NTP time is that of the last packet sent here (werift's sender keeps its
      // own only on its own path; an accessor on its object would turn every sender into a
      // dictionary-mode object, slow for each of the property accesses above)
      this.#reports.add(this.#s as unknown as ReportedSender, () =>
        ntpFromMs(this.#lastSentMs || wallClockMs()),
      );
    }
  }

  /**
   * Sends a retransmission of an output packet: as RTX (RFC 4588 §4, original sequence number
   * first in the payload) when negotiated, else again on the media SSRC. False when it could not.
   */
  resend(marker: boolean, sequenceNumber: number, timestamp: number, payload: Uint8Array): boolean {
    const s = this.#s;
    const ctx = this.#ready();
    if (!ctx) return false;
    let header: Buffer;
    let body: Uint8Array = payload;
    try {
      if (s.rtxPayloadType !== undefined) {
        const rtxSeq = s.rtxSequenceNumber;
        s.rtxSequenceNumber = (rtxSeq + 1) & 0xffff;
        header = writeHeader(this.#template(true), marker, rtxSeq, timestamp, wallClockMs());
        const b = Buffer.allocUnsafe(payload.length + 2);
        b.writeUInt16BE(sequenceNumber & 0xffff, 0);
        b.set(payload, 2);
        body = b;
      } else {
        header = writeHeader(
          this.#template(false),
          marker,
          sequenceNumber,
          timestamp,
          wallClockMs(),
        );
      }
      this.#transmit(protectRtp(ctx, header, body));
    } catch (e) {
      this.#failed(e);
      return false;
    }
    s.retransmittedPacketsSent++;
    s.retransmittedBytesSent += payload.length;
    s.headerBytesSent += header.length;
    return true;
  }

  /** werift's local SRTP context when the fast path can send; null: use werift's path. */
  #ready(): SrtpLocalContext | null | undefined {
    const s = this.#s;
    const dtls = s.dtlsTransport;
    if (s.stopped || !s.codec || !dtls || dtls.state !== "connected") return undefined;
    if (s.redRedundantPayloadType !== undefined) return null;
    const srtp = dtls.srtp;
    const ctx = srtp?.localContext as SrtpLocalContext | undefined;
    if (!ctx?.cipher) return null;
    if (this.#keyed !== srtp) {
      useKeyObjects(dtls);
      this.#keyed = srtp;
    }
    return ctx;
  }

  #template(rtx: boolean): Template {
    const s = this.#s;
    const pt = rtx
      ? (s.rtxPayloadType as number)
      : (s.codec as { payloadType: number }).payloadType;
    const ssrc = rtx ? s.rtxSsrc : s.ssrc;
    const t = rtx ? this.#rtx : this.#media;
    if (t && t.pt === pt && t.ssrc === ssrc && t.mid === s.mid && t.exts === s.headerExtensions) {
      return t;
    }
    const made: Template = {
      ...headerTemplate(pt, ssrc, s.mid, s.headerExtensions),
      pt,
      ssrc,
      mid: s.mid,
      exts: s.headerExtensions,
    };
    if (rtx) this.#rtx = made;
    else this.#media = made;
    return made;
  }

  /** Encrypts into the thread's send arena (native AES-GCM) and queues it; the header length. */
  #sendNative(
    n: NativeSrtp,
    ctx: SrtpLocalContext,
    dest: Destination,
    marker: boolean,
    sequenceNumber: number,
    timestamp: number,
    now: number,
    payload: Uint8Array,
  ): number {
    const t = this.#template(false);
    const q = sendQueue(n);
    const off = q.reserve(t.bytes.length + payload.length + GCM_TAG);
    const hl = writeHeaderInto(t, q.arena, off, marker, sequenceNumber, timestamp, now);
    const roc = this.#rollover.next(ctx, this.#s.ssrc, sequenceNumber & 0xffff);
    const gcm = gcmContextFor(n, ctx.cipher, true);
    const len = n.gcmProtect(gcm, ctx.cipher.srtpSessionSalt, q.arena, off, hl, payload, roc);
    q.commit(dest.fd, dest.ipv4, dest.port, len);
    const dtls = this.#s.dtlsTransport as DtlsLike;
    dest.pair.packetsSent++;
    dest.pair.bytesSent += len;
    dtls.bytesSent += len;
    dtls.packetsSent++;
    return hl;
  }

  /**
   * The nominated pair's UDP socket descriptor and IPv4 remote address, for the native path;
   * undefined when the connection cannot send now or the pair is not IPv4 over UDP (then the
   * dgram path handles it).
   */
  #destination(): Destination | undefined {
    const conn = (this.#s.dtlsTransport as DtlsLike).iceTransport.connection;
    const pair = conn.nominated;
    if (!pair || !conn.canSendApplicationData()) return undefined;
    const udp = pair.protocol.transport;
    if (udp?.type !== "udp" || udp.closed) return undefined;
    const d = this.#dest;
    if (d && d.pair === pair) return d;
    const to = udp.socket && udpDestination(udp.socket, pair.remoteAddr[0], pair.remoteAddr[1]);
    if (!to) return undefined;
    this.#dest = { pair, ...to };
    return this.#dest;
  }

  #transmit(parts: Buffer[]): void {
    const dtls = this.#s.dtlsTransport as DtlsLike;
    const conn = dtls.iceTransport.connection;
    if (!conn.canSendApplicationData()) return;
    const pair = conn.nominated as PairLike;
    const bytes = (parts[0]?.length ?? 0) + (parts[1]?.length ?? 0) + (parts[2]?.length ?? 0);
    const udp = pair.protocol.transport;
    if (udp?.type === "udp" && !udp.closed && udp.socket) {
      udp.socket.send(parts, pair.remoteAddr[1], pair.remoteAddr[0], noop);
      pair.packetsSent++;
      pair.bytesSent += bytes;
    } else {
      void conn.send(Buffer.concat(parts)).catch(noop);
    }
    dtls.bytesSent += bytes;
    dtls.packetsSent++;
  }

  #failed(e: unknown): void {
    this.errors++;
    this.lastError = (e as Error).message;
    this.onFailure?.(this.lastError);
  }

  #fallback(marker: boolean, sequenceNumber: number, timestamp: number, payload: Uint8Array): void {
    this.fallbacks++;
    this.#lastSentMs = wallClockMs();
    const header = new RtpHeader({ marker, sequenceNumber, timestamp });
    void this.#s.sendRtp(new RtpPacket(header, Buffer.from(payload))).catch(noop);
  }
}
