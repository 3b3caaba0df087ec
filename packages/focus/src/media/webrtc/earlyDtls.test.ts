import { describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import {
  EarlyDtls,
  earlyDtlsDatagramsOf,
  isDtlsRecord,
  MAX_EARLY,
  useEarlyDtls,
} from "./earlyDtls.ts";
import { connected } from "./peerTestSupport.ts";

/** A werift-style event: subscribers get every emitted buffer until they unsubscribe. */
function fakeEvent() {
  const subs = new Set<(b: Buffer) => void>();
  return {
    subscribe(f: (b: Buffer) => void) {
      subs.add(f);
      return { unSubscribe: () => void subs.delete(f) };
    },
    emit(b: Buffer) {
      for (const f of subs) f(b);
    },
    get subscribers() {
      return subs.size;
    },
  };
}

const dtls = (n: number) => Buffer.from([22, 254, 253, n]);
const rtp = Buffer.from([0x80, 96, 0, 1]);
const stun = Buffer.from([0, 1, 0, 0]);

describe("EarlyDtls", () => {
  it("keeps only DTLS datagrams and hands them over in arrival order", () => {
    const ev = fakeEvent();
    const early = new EarlyDtls(ev);
    ev.emit(dtls(1));
    ev.emit(rtp);
    ev.emit(stun);
    ev.emit(dtls(2));
    const got: number[] = [];
    expect(early.release((b) => got.push(b[3] ?? -1))).toBe(2);
    expect(got).toEqual([1, 2]);
  });

  it("stops keeping once released and releases only once", () => {
    const ev = fakeEvent();
    const early = new EarlyDtls(ev);
    ev.emit(dtls(1));
    early.release(() => {});
    expect(ev.subscribers).toBe(0);
    ev.emit(dtls(2));
    expect(early.size).toBe(0);
    expect(early.release(() => {})).toBe(0);
  });

  it(`keeps at most ${MAX_EARLY} datagrams`, () => {
    const ev = fakeEvent();
    const early = new EarlyDtls(ev);
    for (let i = 0; i < MAX_EARLY + 5; i++) ev.emit(dtls(i));
    expect(early.size).toBe(MAX_EARLY);
  });

  it("drops what it kept when there is no socket to hand it to", () => {
    const ev = fakeEvent();
    const early = new EarlyDtls(ev);
    ev.emit(dtls(1));
    expect(early.release(undefined)).toBe(1);
    expect(early.size).toBe(0);
  });
});

describe("isDtlsRecord", () => {
  it("tells DTLS from STUN, RTP and empty datagrams (RFC 7983)", () => {
    expect(isDtlsRecord(dtls(0))).toBe(true);
    expect(isDtlsRecord(Buffer.from([63]))).toBe(true);
    expect(isDtlsRecord(Buffer.from([64]))).toBe(false);
    expect(isDtlsRecord(rtp)).toBe(false);
    expect(isDtlsRecord(stun)).toBe(false);
    expect(isDtlsRecord(Buffer.alloc(0))).toBe(false);
  });
});

/** A ClientHello record: DTLS handshake (22) whose message type (byte 13) is client_hello (1). */
const isClientHello = (b: Buffer) => b[0] === 22 && b[13] === 1;

interface Internals {
  iceTransport: {
    connection: {
      send(b: Buffer): Promise<void>;
      onData: { subscribe(f: (b: Buffer) => void): { unSubscribe(): void } };
    };
  };
  start(): Promise<void>;
}

/**
 * Two werift peers; the offerer is the DTLS server (werift's answerer takes a=setup:active).
 * `beforeAnswer` may wrap either side's DTLS transport before the answer starts ICE.
 */
async function dtlsPair(beforeAnswer: (server: Internals, client: Internals) => void) {
  useEarlyDtls();
  const server = new RTCPeerConnection({ iceUseIpv6: false });
  const client = new RTCPeerConnection({ iceUseIpv6: false });
  server.createDataChannel("x");
  await server.setLocalDescription(await server.createOffer());
  await client.setRemoteDescription(server.localDescription!);
  const serverDtls = server.dtlsTransports[0] as unknown as Internals;
  const clientDtls = client.dtlsTransports[0] as unknown as Internals;
  beforeAnswer(serverDtls, clientDtls);
  await client.setLocalDescription(await client.createAnswer());
  await server.setRemoteDescription(client.localDescription!);
  await connected(server);
  return { server, client, close: () => Promise.all([server.close(), client.close()]) };
}

/** Calls `f` with every ClientHello `t` sends. */
function onClientHello(t: Internals, f: (b: Buffer) => void): void {
  const conn = t.iceTransport.connection;
  const send = conn.send.bind(conn);
  conn.send = (b) => {
    if (isClientHello(b)) f(b);
    return send(b);
  };
}

describe("useEarlyDtls", () => {
  it("lets a DTLS server answer the ClientHello that arrived before it started, without waiting for a retransmission", async () => {
    const hellos: Buffer[] = [];
    const { server, client, close } = await dtlsPair((serverDtls, clientDtls) => {
      // the server's DTLS socket starts only after a ClientHello has reached its ICE connection
      let arrived!: () => void;
      const helloArrived = new Promise<void>((r) => {
        arrived = r;
      });
      serverDtls.iceTransport.connection.onData.subscribe((b) => isClientHello(b) && arrived());
      const start = serverDtls.start;
      serverDtls.start = () => helloArrived.then(() => start.call(serverDtls));
      onClientHello(clientDtls, (b) => hellos.push(b));
    });
    // one ClientHello without the cookie, one with it; a dropped first one would have been
    // sent again after werift's 500 ms retransmission timer: three
    expect(hellos).toHaveLength(2);
    // the server's transport was handed the ClientHello it had kept; the client's nothing
    expect(earlyDtlsDatagramsOf(server.dtlsTransports[0]!)).toBeGreaterThanOrEqual(1);
    expect(earlyDtlsDatagramsOf(client.dtlsTransports[0]!)).toBe(0);
    await close();
  });

  it("lets a DTLS client send its first ClientHello when its socket starts, not after werift's 100 ms wait", async () => {
    let waited = false;
    let helloAfterWait: boolean | undefined;
    const { close } = await dtlsPair((_, clientDtls) => {
      const start = clientDtls.start;
      clientDtls.start = () => {
        // fires before a 100 ms timer that werift would set inside start()
        setTimeout(() => {
          waited = true;
        }, 100);
        return start.call(clientDtls);
      };
      onClientHello(clientDtls, () => {
        helloAfterWait ??= waited;
      });
    });
    expect(helloAfterWait).toBe(false);
    await close();
  });
});
