// Outgoing SRTP datagrams of the forwarding path when the native addon is there: encrypted
// straight into one arena per thread and sent with sendmmsg (one system call per socket and
// batch). A received packet fans out to its subscribers within one callback, and
// `IncomingLayer` flushes when that is done, so a batch is one packet's copies and they do not
// wait for the datagrams read after it in the same event-loop turn (decisions/
// perf-send-flush.md). Whatever else is queued (a NACK answer, a packet sent outside a fan-out)
// goes once the I/O callbacks of the current turn have run (setImmediate), or earlier when the
// arena is full. What the kernel does not take (a full socket buffer) is dropped and counted,
// as node:dgram would drop it.
import type { NativeSrtp } from "./nativeSrtp.ts";

const ARENA_BYTES = 256 * 1024;
const MAX_DATAGRAMS = 512;
const META = 5;

export class SendQueue {
  readonly arena = Buffer.allocUnsafe(ARENA_BYTES);
  readonly #meta = new Uint32Array(MAX_DATAGRAMS * META);
  readonly #native: NativeSrtp;
  #count = 0;
  #used = 0;
  #scheduled = false;
  /** Datagrams the kernel took, and those it refused. */
  sent = 0;
  dropped = 0;

  constructor(native: NativeSrtp) {
    this.#native = native;
  }

  /** Offset in the arena where a datagram of up to `maxBytes` can be written. */
  reserve(maxBytes: number): number {
    if (maxBytes > ARENA_BYTES) throw new Error(`datagram of ${maxBytes} bytes too large`);
    if (this.#used + maxBytes > ARENA_BYTES || this.#count === MAX_DATAGRAMS) this.flush();
    return this.#used;
  }

  /** Queues the datagram written at the last reserved offset. */
  commit(fd: number, ipv4: number, port: number, length: number): void {
    const m = this.#meta;
    const at = this.#count * META;
    m[at] = fd;
    m[at + 1] = this.#used;
    m[at + 2] = length;
    m[at + 3] = ipv4;
    m[at + 4] = port;
    this.#count++;
    this.#used += length;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushLater);
    }
  }

  readonly #flushLater = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  /** Sends everything queued now. */
  flush(): void {
    const count = this.#count;
    if (count === 0) return;
    this.#count = 0;
    this.#used = 0;
    const n = this.#native.sendBatch(this.arena, this.#meta, count);
    this.sent += n;
    this.dropped += count - n;
  }
}

/** An IPv4 address as a number (host order), or undefined for anything else. */
export function ipv4Number(address: string): number | undefined {
  const parts = address.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n >>> 0;
}

let queue: SendQueue | undefined;

/** This thread's queue. */
export function sendQueue(native: NativeSrtp): SendQueue {
  queue ??= new SendQueue(native);
  return queue;
}

/** Datagrams of this thread the kernel refused so far (0 before anything was queued). */
export function sendQueueDropped(): number {
  return queue?.dropped ?? 0;
}

/** Sends what this thread has queued (before a socket closes: its descriptor may be re-used). */
export function flushSends(): void {
  queue?.flush();
}

/**
 * The file descriptor of a node:dgram socket, or undefined. Read from the socket's internal
 * state (`Socket.prototype._handle` is deprecated and warns); -1 or undefined once closed.
 */
export function socketFd(socket: object): number | undefined {
  const s = socket as Record<symbol, unknown>;
  for (const sym of Object.getOwnPropertySymbols(socket)) {
    const state = s[sym] as { handle?: { fd?: unknown } } | undefined;
    const fd = state !== null && typeof state === "object" ? state.handle?.fd : undefined;
    if (typeof fd === "number") return fd;
  }
  return undefined;
}

/** Where the native path sends a datagram: a socket's descriptor and an IPv4 address and port. */
export interface UdpDestination {
  fd: number;
  ipv4: number;
  port: number;
}

/** The destination for `socket` → `address`:`port`, or undefined (closed, or not IPv4). */
export function udpDestination(
  socket: object,
  address: string,
  port: number,
): UdpDestination | undefined {
  const fd = socketFd(socket);
  const ipv4 = ipv4Number(address);
  if (fd === undefined || fd < 0 || ipv4 === undefined) return undefined;
  return { fd, ipv4, port };
}
