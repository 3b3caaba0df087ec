import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { ProtectionProfileAeadAes128Gcm, type SrtpSession } from "werift";
import { nativeSelfCheckProblem } from "./nativeSelfCheck.ts";
import { gcmContextFor, type NativeSrtp, nativeSrtp, nativeStatus } from "./nativeSrtp.ts";
import { ipv4Number, SendQueue, sendQueue, sendQueueDropped, socketFd } from "./sendQueue.ts";
import { useKeyObjects } from "./srtpKeys.ts";
import { protectRtp, type SrtpLocalContext } from "./srtpProtect.ts";
import { header, pair } from "./srtpTestSupport.ts";

const local = (s: SrtpSession) => s.localContext as unknown as SrtpLocalContext;

function addon(): NativeSrtp {
  const n = nativeSrtp();
  if (!n) throw new Error(`the native addon should be built by npm install: ${nativeStatus()}`);
  return n;
}

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

async function receiver(): Promise<{ port: number; fd: number; got: Buffer[]; socket: Socket }> {
  const socket = createSocket("udp4");
  sockets.push(socket);
  const got: Buffer[] = [];
  socket.on("message", (m) => got.push(m));
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
  const fd = socketFd(socket) as number;
  return { port: socket.address().port, fd, got, socket };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe("the native SRTP addon", () => {
  it("is built and loaded unless disabled", () => {
    if (process.env.MATRIX_FOCUS_NATIVE === "0") return;
    expect(nativeStatus()).toMatch(/^loaded /);
  });

  it("writes the same AES-GCM datagrams as the TypeScript path, across a sequence number wrap", () => {
    const n = addon();
    const { sender } = pair(ProtectionProfileAeadAes128Gcm);
    const reference = pair(ProtectionProfileAeadAes128Gcm).sender;
    useKeyObjects({ srtp: sender as never });
    const ctx = local(sender);
    const gcm = gcmContextFor(n, ctx.cipher, true);
    const out = Buffer.alloc(4096);
    const ext = [{ id: 1, payload: Buffer.from("3") }];
    for (const [i, seq] of [65534, 65535, 0, 1].entries()) {
      const h = header(seq, 0x01020304, ext).serialize(header(seq, 0x01020304, ext).serializeSize);
      const payload = Buffer.from(`payload ${seq} `.repeat(30 + i));
      const ts = Buffer.concat(protectRtp(local(reference), h, payload));
      h.copy(out, 100);
      const roc = seq < 10 ? 1 : 0;
      const len = n.gcmProtect(gcm, ctx.cipher.srtpSessionSalt, out, 100, h.length, payload, roc);
      expect(out.subarray(100, 100 + len).equals(ts)).toBe(true);
    }
  });

  it("refuses to write past the end of its output", () => {
    const n = addon();
    const { sender } = pair(ProtectionProfileAeadAes128Gcm);
    const ctx = local(sender);
    const gcm = gcmContextFor(n, ctx.cipher, true);
    const out = Buffer.alloc(40);
    expect(() =>
      n.gcmProtect(gcm, ctx.cipher.srtpSessionSalt, out, 0, 12, Buffer.alloc(20), 0),
    ).toThrow(/no room/);
  });

  it("sends a batch with sendmmsg to several sockets, in order per socket", async () => {
    const n = addon();
    const a = await receiver();
    const b = await receiver();
    const q = new SendQueue(n);
    const localhost = ipv4Number("127.0.0.1") as number;
    for (const [i, to] of [a, a, b, a, b].entries()) {
      const off = q.reserve(10);
      q.arena.write(`msg ${i}`, off);
      q.commit(to.fd, localhost, to.port, `msg ${i}`.length);
    }
    q.flush();
    await until(() => a.got.length === 3 && b.got.length === 2);
    expect(a.got.map(String)).toEqual(["msg 0", "msg 1", "msg 3"]);
    expect(b.got.map(String)).toEqual(["msg 2", "msg 4"]);
    expect([q.sent, q.dropped]).toEqual([5, 0]);
  });

  it("counts a datagram the kernel refuses as dropped and sends the rest", async () => {
    const n = addon();
    const a = await receiver();
    const q = new SendQueue(n);
    const localhost = ipv4Number("127.0.0.1") as number;
    let off = q.reserve(8);
    q.arena.write("bad", off);
    q.commit(1_000_000, localhost, a.port, 3);
    off = q.reserve(8);
    q.arena.write("good", off);
    q.commit(a.fd, localhost, a.port, 4);
    q.flush();
    await until(() => a.got.length === 1);
    expect(a.got.map(String)).toEqual(["good"]);
    expect([q.sent, q.dropped]).toEqual([1, 1]);
  });

  it("reports how many datagrams the kernel refused from this thread's queue", () => {
    const n = addon();
    const before = sendQueueDropped();
    const q = sendQueue(n);
    q.reserve(8);
    q.commit(1_000_000, ipv4Number("127.0.0.1") as number, 9, 3);
    q.flush();
    expect(sendQueueDropped()).toBe(before + 1);
  });

  it("flushes by itself after the current event-loop turn", async () => {
    const n = addon();
    const a = await receiver();
    const q = new SendQueue(n);
    const off = q.reserve(8);
    q.arena.write("later", off);
    q.commit(a.fd, ipv4Number("127.0.0.1") as number, a.port, 5);
    expect(q.sent).toBe(0);
    await until(() => a.got.length === 1);
    expect(a.got.map(String)).toEqual(["later"]);
  });
});

describe("a dgram socket's descriptor", () => {
  it("is read without the deprecated _handle, and is gone once the socket closed", async () => {
    const a = await receiver();
    expect(a.fd).toBeGreaterThan(2);
    a.socket.close();
    sockets.splice(sockets.indexOf(a.socket), 1);
    expect(socketFd(a.socket) ?? -1).toBeLessThan(0);
  });
});

describe("IPv4 addresses as numbers", () => {
  it("reads dotted quads and refuses anything else", () => {
    expect(ipv4Number("127.0.0.1")).toBe(0x7f000001);
    expect(ipv4Number("255.255.255.255")).toBe(0xffffffff);
    for (const bad of ["::1", "1.2.3", "1.2.3.256", "a.b.c.d", "1.2.3.4.5", ""]) {
      expect(ipv4Number(bad)).toBeUndefined();
    }
  });
});

describe("the native addon's known-answer check", () => {
  it("passes the addon as built", () => {
    if (process.env.MATRIX_FOCUS_NATIVE === "0") return;
    expect(nativeSelfCheckProblem(addon())).toBeUndefined();
  });

  it("fails an addon whose output differs, that cannot decrypt, that accepts anything or that throws", () => {
    const a = addon();
    // the addon's exports are not enumerable: a plain object to change one method of
    const n: NativeSrtp = {
      gcmContext: (...x) => a.gcmContext(...x),
      gcmProtect: (...x) => a.gcmProtect(...x),
      gcmUnprotect: (...x) => a.gcmUnprotect(...x),
      gcmOpen: (...x) => a.gcmOpen(...x),
      sendBatch: (...x) => a.sendBatch(...x),
    };
    const flipped: NativeSrtp = {
      ...n,
      gcmProtect: (...a) => {
        const len = n.gcmProtect(...a);
        const out = a[2];
        out[len - 1] = (out[len - 1] as number) ^ 0xff;
        return len;
      },
    };
    expect(nativeSelfCheckProblem(flipped)).toMatch(/differs/);
    expect(nativeSelfCheckProblem({ ...n, gcmUnprotect: () => -1 })).toMatch(/does not decrypt/);
    const accepting: NativeSrtp = { ...n, gcmUnprotect: (...a) => a[2].length - a[3] - 16 };
    expect(nativeSelfCheckProblem(accepting)).toMatch(/accepts/);
    expect(nativeSelfCheckProblem({ ...n, gcmOpen: () => 0 })).toMatch(
      /generic .* does not decrypt/,
    );
    expect(
      nativeSelfCheckProblem({
        ...n,
        gcmOpen: (...x) => {
          a.gcmOpen(...x);
          return 1;
        },
      }),
    ).toMatch(/generic .* accepts changed additional data/);
    const throwing: NativeSrtp = {
      ...n,
      gcmContext: () => {
        throw new Error("bad key length");
      },
    };
    expect(nativeSelfCheckProblem(throwing)).toBe("it threw: bad key length");
  });
});
