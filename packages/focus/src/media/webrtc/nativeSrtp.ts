// The optional native addon of the forwarding path (packages/focus/native/srtp_native.c, built
// by scripts/build-native.ts after `npm install`): AES-GCM SRTP with OpenSSL contexts keyed once
// per session key, and sendmmsg. Loaded once per thread; absent (no compiler at install time,
// another platform) or disabled with MATRIX_FOCUS_NATIVE=0, the TypeScript path runs instead
// (srtpProtect.ts, srtpUnprotect.ts, node:dgram). Tests compare both paths byte for byte; at
// load a known-answer check (nativeSelfCheck.ts) keeps a broken build out.
import { createSecretKey, type KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import { nativeSelfCheckProblem } from "./nativeSelfCheck.ts";

/** An OpenSSL AES-128-GCM context, keyed once (opaque). */
export type GcmContext = { readonly __gcm: unique symbol };

export interface NativeSrtp {
  gcmContext(key: Uint8Array, encrypt: boolean): GcmContext;
  /** The header is at out[offset, offset + headerLength); returns the datagram's length. */
  gcmProtect(
    ctx: GcmContext,
    salt: Uint8Array,
    out: Uint8Array,
    offset: number,
    headerLength: number,
    payload: Uint8Array,
    roc: number,
  ): number;
  /** Decrypts in place; the payload's length, or -1 when it does not authenticate. */
  gcmUnprotect(
    ctx: GcmContext,
    salt: Uint8Array,
    packet: Uint8Array,
    headerLength: number,
    roc: number,
  ): number;
  /** AES-GCM decryption of `data` in place with this IV and additional data; 1, or 0 if forged. */
  gcmOpen(
    ctx: GcmContext,
    iv: Uint8Array,
    aad: Uint8Array,
    data: Uint8Array,
    tag: Uint8Array,
  ): number;
  /** meta: (fd, offset, length, IPv4 as a number, port) per datagram; returns how many went. */
  sendBatch(arena: Uint8Array, meta: Uint32Array, count: number): number;
  /** malloc_trim(0) (glibc; 1 if memory was released); absent from builds before it. */
  trimMalloc?(): number;
}

let loaded: NativeSrtp | undefined;
let tried = false;
let why = "not loaded yet";

function load(): NativeSrtp | undefined {
  if (process.env.MATRIX_FOCUS_NATIVE === "0") {
    why = "disabled by MATRIX_FOCUS_NATIVE=0";
    return undefined;
  }
  const path = new URL("../../../native/build/srtp_native.node", import.meta.url).pathname;
  try {
    const m = createRequire(import.meta.url)(path) as NativeSrtp;
    const problem = nativeSelfCheckProblem(m);
    if (problem !== undefined) {
      why = `failed its self-check (${problem}): ${path}; rebuild it: node scripts/build-native.ts`;
      return undefined;
    }
    why = `loaded ${path}`;
    return m;
  } catch (e) {
    why = `not available (${(e as Error).message.split("\n")[0]}); run: node scripts/build-native.ts`;
    return undefined;
  }
}

/** The addon, or undefined when the TypeScript path runs (see nativeStatus). */
export function nativeSrtp(): NativeSrtp | undefined {
  if (!tried) {
    tried = true;
    loaded = load();
  }
  return override === null ? undefined : (override ?? loaded);
}

/** Which path runs and why, for the focus's start-up log. */
export function nativeStatus(): string {
  nativeSrtp();
  return override === null ? "disabled for a test" : why;
}

let override: NativeSrtp | null | undefined;

/** Tests: null = force the TypeScript path, undefined = back to normal. */
export function setNativeForTests(n: NativeSrtp | null | undefined): void {
  override = n;
}

type KeyField = "srtpSessionKey" | "srtcpSessionKey";
type Contexts = { enc?: GcmContext; dec?: GcmContext; rtcpDec?: GcmContext };
const contexts = new WeakMap<object, Contexts>();

/**
 * The native context of a werift cipher's SRTP session key (a KeyObject once srtpKeys.ts ran,
 * else a Buffer), made once per key and direction; with `field` "srtcpSessionKey", that of its
 * SRTCP session key (decryption only).
 */
export function gcmContextFor(
  n: NativeSrtp,
  cipher: Partial<Record<KeyField, unknown>>,
  encrypt: boolean,
  field: KeyField = "srtpSessionKey",
): GcmContext {
  let c = contexts.get(cipher);
  if (!c) {
    c = {};
    contexts.set(cipher, c);
  }
  const slot: keyof Contexts = field === "srtcpSessionKey" ? "rtcpDec" : encrypt ? "enc" : "dec";
  const have = c[slot];
  if (have) return have;
  const k = cipher[field] as KeyObject | Buffer;
  const raw = Buffer.isBuffer(k) ? k : k.export();
  const made = n.gcmContext(raw, encrypt && field === "srtpSessionKey");
  c[slot] = made;
  // keep werift's own calls fast as well
  if (Buffer.isBuffer(k)) cipher[field] = createSecretKey(k);
  return made;
}
