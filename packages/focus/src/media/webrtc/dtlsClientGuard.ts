// werift's DTLS client gives up its handshake when a HelloVerifyRequest arrives a second time.
// That happens whenever the server is slower than the client's first retransmission (500 ms):
// the client sends its ClientHello again, the server answers each copy with a
// HelloVerifyRequest, and the client, already in flight 3 after the first one, throws on the
// second (`Flight3.exec`: "if (this.dtls.flight === 3) throw new Error()"), so the peer
// connection fails with ICE connected. It was the "ICE connected, DTLS failed" of the
// benchmark's late subscribers while the focus was busy with a join burst, and it would fail
// a link between foci the same way (the dialing focus is the DTLS client there). RFC 6347
// §4.2.1: the client answers a HelloVerifyRequest with its ClientHello and the cookie; a
// repeated one changes nothing, and the client's own retransmission timer resends flight 3
// if that was lost. So a HelloVerifyRequest that arrives after flight 3 was sent is dropped.
// Installed once per process for every werift DTLS client it starts.
import { DtlsClient, RTCDtlsTransport } from "werift";

/** DTLS handshake type of HelloVerifyRequest (RFC 6347 §4.3.2). */
const HELLO_VERIFY_REQUEST = 3;
/** werift's number of the client's flight that carries the cookie. */
const COOKIE_FLIGHT = 3;

const guarded = Symbol("repeatedHelloVerifyIgnored");

interface ClientInternals {
  /** werift's handshake context; replaced on renegotiation, so read it on every message. */
  dtls: { flight: number };
  onHandleHandshakes: (assembled: { msg_type: number }[]) => Promise<void>;
  [guarded]?: true;
}

/** Makes `client` drop HelloVerifyRequests that arrive after it sent its cookie. Idempotent. */
export function ignoreRepeatedHelloVerify(client: DtlsClient): void {
  const c = client as unknown as ClientInternals;
  if (c[guarded]) return;
  c[guarded] = true;
  const handle = c.onHandleHandshakes;
  c.onHandleHandshakes = (assembled) => {
    if (c.dtls.flight < COOKIE_FLIGHT) return handle(assembled);
    const rest = assembled.filter((h) => h.msg_type !== HELLO_VERIFY_REQUEST);
    if (rest.length === assembled.length) return handle(assembled);
    return rest.length > 0 ? handle(rest) : Promise.resolve();
  };
}

/** Whether `client` drops repeated HelloVerifyRequests. */
export function ignoresRepeatedHelloVerify(client: unknown): boolean {
  return (client as Partial<ClientInternals> | undefined)?.[guarded] === true;
}

let installed = false;

/** Guards every DTLS client werift's transports start from now on. Idempotent. */
export function useDtlsClientGuard(): void {
  if (installed) return;
  installed = true;
  const proto = RTCDtlsTransport.prototype as unknown as {
    start(this: { dtls?: unknown }): Promise<void>;
  };
  const start = proto.start;
  proto.start = function (this: { dtls?: unknown }) {
    // werift creates the DTLS socket synchronously inside start(), before its first await
    const started = start.call(this);
    if (this.dtls instanceof DtlsClient) ignoreRepeatedHelloVerify(this.dtls);
    return started;
  };
}
