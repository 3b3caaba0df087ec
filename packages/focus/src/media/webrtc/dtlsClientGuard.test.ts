import { describe, expect, it } from "vitest";
import { DtlsClient, DtlsServer, RTCDtlsTransport, RTCPeerConnection } from "werift";
import {
  ignoreRepeatedHelloVerify,
  ignoresRepeatedHelloVerify,
  useDtlsClientGuard,
} from "./dtlsClientGuard.ts";
import { connected } from "./peerTestSupport.ts";

interface Transport {
  onData: (buf: Buffer) => void;
  send(buf: Buffer): Promise<void>;
  close(): void;
}

/**
 * Two DTLS endpoints in memory. The server is busy at first: it reads nothing until the client
 * has sent `holdUntil` datagrams (its ClientHello and werift's retransmission 500 ms later).
 */
function busyServerLink(holdUntil: number) {
  const held: Buffer[] = [];
  let released = false;
  const client: Transport = {
    onData: () => {},
    send: async (buf) => {
      if (released) setImmediate(() => server.onData(buf));
      else {
        held.push(buf);
        if (held.length >= holdUntil) {
          released = true;
          for (const b of held.splice(0)) setImmediate(() => server.onData(b));
        }
      }
    },
    close: () => {},
  };
  const server: Transport = {
    onData: () => {},
    send: async (buf) => void setImmediate(() => client.onData(buf)),
    close: () => {},
  };
  return { client, server };
}

async function handshake(guard: boolean): Promise<"connected" | "failed"> {
  const cert = await RTCDtlsTransport.SetupCertificate();
  const keys = { cert: cert.certPem, key: cert.privateKey, signatureHash: cert.signatureHash };
  const link = busyServerLink(2);
  const server = new DtlsServer({
    ...keys,
    transport: link.server as never,
    srtpProfiles: [],
    extendedMasterSecret: true,
    certificateRequest: true,
  });
  const client = new DtlsClient({
    ...keys,
    transport: link.client as never,
    srtpProfiles: [],
    extendedMasterSecret: true,
  });
  if (guard) ignoreRepeatedHelloVerify(client);
  const result = new Promise<"connected" | "failed">((resolve) => {
    let both = 0;
    const one = () => ++both === 2 && resolve("connected");
    client.onConnect.once(one);
    server.onConnect.once(one);
    client.onError.once(() => resolve("failed"));
    server.onError.once(() => resolve("failed"));
  });
  void client.connect().catch(() => {});
  return result;
}

describe("DTLS client guard", () => {
  it("lets a werift client finish its handshake with a server that answered its ClientHello twice", async () => {
    expect(await handshake(true)).toBe("connected");
  });

  it("is needed: an unguarded werift client fails on the second HelloVerifyRequest", async () => {
    expect(await handshake(false)).toBe("failed");
  });

  it("guards the DTLS client of a werift peer connection once installed", async () => {
    useDtlsClientGuard();
    const a = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"] });
    const b = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"] });
    try {
      a.createDataChannel("control");
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription as never);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription as never);
      await Promise.all([connected(a), connected(b)]);
      const socket = (pc: RTCPeerConnection) =>
        (pc.dtlsTransports[0] as unknown as { dtls: unknown }).dtls;
      const sockets = [socket(a), socket(b)];
      const client = sockets.find((d) => d instanceof DtlsClient);
      const server = sockets.find((d) => d !== client);
      expect(client).toBeInstanceOf(DtlsClient);
      expect(ignoresRepeatedHelloVerify(client)).toBe(true);
      expect(ignoresRepeatedHelloVerify(server)).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
