// werift starts a connection's DTLS socket only once its own ICE check has succeeded, and
// until then it drops every DTLS datagram. A DTLS client on the other side may well be
// faster: the controlled side of ICE (an answerer such as Janus, or the focus itself towards
// a client that offered) learns of the nomination first and sends its ClientHello at once.
// Dropped, that ClientHello costs a retransmission: 1 s with OpenSSL's default timer (Janus
// publishing to a werift peer: every publish took ~1.06 s instead of ~45 ms), 50 ms doubling
// with libwebrtc (Chromium joining the focus: in one of three tries its ClientHello came
// 215 ms before the focus's DTLS socket, sent three times). libwebrtc keeps such a datagram
// for the DTLS transport that starts later, and so does this: from the start of ICE until the
// DTLS socket exists, the transport's DTLS datagrams are kept (at most `MAX_EARLY`) and handed
// to the socket when it is created.
// The other way round, werift as DTLS client waits a fixed 100 ms after ICE connects before its
// first flight, where a browser sends its ClientHello at once; with the other side keeping
// early datagrams (werift with this installed, libwebrtc) the wait buys nothing, so the
// ClientHello goes out when the DTLS socket is created (decisions/media-early-dtls.md).
// Installed once per process for every werift peer connection it makes.
import { RTCDtlsTransport, RTCIceTransport } from "werift";

/** At most this many datagrams are kept (a client's first flight, with retransmissions). */
export const MAX_EARLY = 8;

interface Subscribable {
  subscribe(f: (buf: Buffer) => void): { unSubscribe(): void };
}

/** The DTLS datagrams an ICE connection received before its DTLS socket existed. */
export class EarlyDtls {
  readonly #packets: Buffer[] = [];
  readonly #sub: { unSubscribe(): void };
  #open = true;

  constructor(onData: Subscribable) {
    this.#sub = onData.subscribe((buf) => {
      if (this.#open && isDtlsRecord(buf) && this.#packets.length < MAX_EARLY)
        this.#packets.push(buf);
    });
  }

  /** How many are kept. */
  get size(): number {
    return this.#packets.length;
  }

  /** Stops keeping and hands what was kept to `deliver`, in arrival order. Once only. */
  release(deliver: ((buf: Buffer) => void) | undefined): number {
    if (!this.#open) return 0;
    this.#open = false;
    this.#sub.unSubscribe();
    const kept = this.#packets.splice(0);
    if (deliver) for (const b of kept) deliver(b);
    return kept.length;
  }
}

/** RFC 7983: a first byte of 20-63 is DTLS. */
export function isDtlsRecord(buf: Buffer): boolean {
  const b = buf[0] ?? 0;
  return b >= 20 && b <= 63;
}

const early = Symbol("earlyDtls");

interface IceInternals {
  connection: { onData: Subscribable };
  /** Undefined: ICE not started yet; null: the DTLS socket has taken over. */
  [early]?: EarlyDtls | null;
}

interface DtlsInternals {
  iceTransport: IceInternals;
  role: string;
  /** werift's DTLS socket; its transport's `socket` is what ICE delivers DTLS datagrams to. */
  dtls?: {
    transport?: { socket?: { onData?: (buf: Buffer) => void } };
    /** A client's: sends the first flight and retransmits it. */
    connect?: () => Promise<void>;
  };
}

/**
 * Starts a DTLS client's handshake now; werift's own call of `connect`, 100 ms later, gets
 * the same handshake (and its failure, which werift handles).
 */
function connectNow(socket: NonNullable<DtlsInternals["dtls"]>): void {
  const handshake = socket.connect?.call(socket);
  if (!handshake) return;
  handshake.catch(() => {}); // not unhandled in the 100 ms before werift's own catch
  socket.connect = () => handshake;
}

let installed = false;
/** Datagrams handed to each transport's DTLS socket when it started. */
const handedOver = new WeakMap<object, number>();

/** How many early datagrams werift DTLS transport `t` was handed when its socket started. */
export function earlyDtlsDatagramsOf(t: object): number {
  return handedOver.get(t) ?? 0;
}

/**
 * Keeps early DTLS datagrams, and starts DTLS clients' handshakes without werift's wait, for
 * every werift connection started from now on. Idempotent.
 */
export function useEarlyDtls(): void {
  if (installed) return;
  installed = true;
  const ice = RTCIceTransport.prototype as unknown as {
    start(this: IceInternals, ...a: unknown[]): Promise<void>;
  };
  const iceStart = ice.start;
  ice.start = function (this: IceInternals, ...a: unknown[]) {
    if (this[early] === undefined) this[early] = new EarlyDtls(this.connection.onData);
    return iceStart.apply(this, a);
  };
  const dtls = RTCDtlsTransport.prototype as unknown as {
    start(this: DtlsInternals): Promise<void>;
  };
  const dtlsStart = dtls.start;
  dtls.start = function (this: DtlsInternals) {
    const kept = this.iceTransport[early];
    this.iceTransport[early] = null;
    // werift creates the DTLS socket synchronously inside start(), before its first await
    const started = dtlsStart.call(this);
    const n = kept?.release(this.dtls?.transport?.socket?.onData) ?? 0;
    if (n > 0) handedOver.set(this, n);
    if (this.role === "client" && this.dtls) connectNow(this.dtls);
    return started;
  };
}
