// Modular arithmetic for RTP sequence numbers (16 bit) and timestamps (32 bit), RFC 3550 §A.1.

export const add16 = (a: number, b: number): number => (a + b) & 0xffff;
export const sub16 = (a: number, b: number): number => (a - b) & 0xffff;
export const add32 = (a: number, b: number): number => (a + b) >>> 0;
export const sub32 = (a: number, b: number): number => (a - b) >>> 0;

/** True when `a` comes after `b` in 16-bit sequence space (half-range rule). */
export function seqNewer(a: number, b: number): boolean {
  const d = sub16(a, b);
  return d !== 0 && d < 0x8000;
}
