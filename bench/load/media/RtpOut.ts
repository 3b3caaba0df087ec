// The publishers' lean send path: RTP headers from a per-stream template, SRTP, one datagram
// on the socket of werift's nominated ICE pair. With the focus's native addon (AES-GCM, as
// werift and Chrome negotiate here) a packet is encrypted into the thread's send arena and the
// pacer's tick sends them with sendmmsg, as the focus sends (nativeSrtp.ts, sendQueue.ts);
// without it, or for AES-CM, Node's crypto with KeyObject keys (srtp.ts) and one gathering
// write. Node's crypto makes a cipher object per packet, and those objects' weak handles
// stretched each scavenge of a load process to 7-15 ms, during which it neither sent nor read
// (docs/decisions/bench-method.md item 15). werift's `sendRtp` would rebuild header extension
// objects, import its raw key on every packet, concatenate and go through a promise per
// packet. werift stays in charge of ICE, DTLS and RTCP; until the SRTP keys are there (or if
// the pair is not UDP) packets go through werift.
import {
  type GcmContext,
  gcmContextFor,
  type NativeSrtp,
  nativeSrtp,
  sendQueue,
  type UdpDestination,
  udpDestination,
} from "@matrix-focus/focus";
import { type RTCDtlsTransport, RtpHeader } from "werift";
import { AEAD_AES_128_GCM, type DtlsWithSrtp, protect, type SrtpKeys, srtpKeys } from "./srtp.ts";

/** The parts of werift's ICE connection used here (untyped internals of werift 0.25.2). */
interface PairLike {
  protocol: {
    transport?: {
      type: string;
      closed?: boolean;
      socket?: {
        send(msg: Buffer[], port: number, address: string, cb: (e: Error | null) => void): void;
      };
    };
  };
  remoteAddr: [string, number];
}
interface DtlsLike extends DtlsWithSrtp {
  iceTransport: { connection: { nominated?: PairLike } };
}

/** A header extension element of a template (RFC 8285 one-byte form). */
export interface ExtensionElement {
  id: number;
  data: Buffer;
}

/** An RTP header (RFC 3550 §5.1) with one-byte header extensions; seq/ts/marker left zero. */
export function headerTemplate(payloadType: number, ssrc: number, ext: ExtensionElement[]) {
  const elements = ext.filter((e) => e.id > 0 && e.id < 15 && e.data.length > 0);
  const body = elements.reduce((n, e) => n + 1 + e.data.length, 0);
  const padded = Math.ceil(body / 4) * 4;
  const extLen = elements.length > 0 ? 4 + padded : 0;
  const h = Buffer.alloc(12 + extLen);
  h[0] = 0x80 | (extLen > 0 ? 0x10 : 0);
  h[1] = payloadType & 0x7f;
  h.writeUInt32BE(ssrc >>> 0, 8);
  if (extLen > 0) {
    h.writeUInt16BE(0xbede, 12);
    h.writeUInt16BE(padded / 4, 14);
    let at = 16;
    for (const e of elements) {
      h[at++] = (e.id << 4) | (e.data.length - 1);
      e.data.copy(h, at);
      at += e.data.length;
    }
  }
  return h;
}

/** A fresh header from a template (the socket keeps it until the datagram is sent). */
export function writeHeader(t: Buffer, marker: boolean, seq: number, ts: number): Buffer {
  const h = Buffer.allocUnsafe(t.length);
  t.copy(h);
  h[1] = (t[1] as number) | (marker ? 0x80 : 0);
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  return h;
}

const noop = () => {};
const GCM_TAG = 16;

/** Where the native path sends: the pair's socket descriptor and IPv4 remote address. */
interface NativeRoute extends UdpDestination {
  pair: PairLike;
}

export class RtpOut {
  readonly #dtls: RTCDtlsTransport;
  #keys: SrtpKeys | undefined;
  #keyedFrom: unknown;
  #route: NativeRoute | undefined;
  /** Rollover counter per SSRC (we are the only sender of our SSRCs, RFC 3711 §3.3.1). */
  readonly #roc = new Map<number, number>();
  /** Packets that went through werift's path instead, and those the native addon sent. */
  fallbacks = 0;
  nativeSends = 0;

  readonly #lean: boolean;

  /** `lean` false: every packet goes through werift's `sendRtp` (for comparisons). */
  constructor(dtls: RTCDtlsTransport, lean = true) {
    this.#dtls = dtls;
    this.#lean = lean;
  }

  /** Sends a packet whose header came from `writeHeader`. */
  send(header: Buffer, payload: Buffer): void {
    const d = this.#dtls as unknown as DtlsLike;
    const ssrc = header.readUInt32BE(8);
    const seq = header.readUInt16BE(2);
    let roc = this.#roc.get(ssrc) ?? 0;
    if (seq === 0 && this.#roc.has(ssrc)) roc = (roc + 1) >>> 0;
    this.#roc.set(ssrc, roc);
    if (this.#keyedFrom !== d.srtp) {
      this.#keys = d.srtp ? srtpKeys(d, "local") : undefined;
      this.#keyedFrom = d.srtp;
    }
    const pair = d.iceTransport.connection.nominated;
    const udp = pair?.protocol.transport;
    const k = this.#keys;
    if (!this.#lean || !k || !pair || udp?.type !== "udp" || udp.closed || !udp.socket) {
      this.fallbacks++;
      void this.#dtls.sendRtp(payload, RtpHeader.deSerialize(header)).catch(noop);
      return;
    }
    const n = k.profile === AEAD_AES_128_GCM ? nativeSrtp() : undefined;
    const cipher = d.srtp?.localContext?.cipher;
    const route = n && cipher ? this.#nativeRoute(pair, udp.socket) : undefined;
    if (n && cipher && route) {
      // one OpenSSL context per werift session key, as the focus keeps them
      const gcm = gcmContextFor(n, cipher as { srtpSessionKey: unknown }, true);
      sendNative(n, gcm, k.salt, route, header, payload, roc);
      this.nativeSends++;
      return;
    }
    udp.socket.send(protect(k, header, payload, roc), pair.remoteAddr[1], pair.remoteAddr[0], noop);
  }

  #nativeRoute(pair: PairLike, socket: object): NativeRoute | undefined {
    if (this.#route?.pair === pair) return this.#route;
    const to = udpDestination(socket, pair.remoteAddr[0], pair.remoteAddr[1]);
    if (!to) return undefined;
    this.#route = { pair, ...to };
    return this.#route;
  }
}

/** Encrypts a packet into the thread's send arena; it leaves with the next flush (Pacer.ts). */
function sendNative(
  n: NativeSrtp,
  gcm: GcmContext,
  salt: Buffer,
  route: NativeRoute,
  header: Buffer,
  payload: Buffer,
  roc: number,
): void {
  const q = sendQueue(n);
  const at = q.reserve(header.length + payload.length + GCM_TAG);
  header.copy(q.arena, at);
  const len = n.gcmProtect(gcm, salt, q.arena, at, header.length, payload, roc);
  q.commit(route.fd, route.ipv4, route.port, len);
}
