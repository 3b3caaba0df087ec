// REMB bitrate encoding (draft-alvestrand-rmcat-remb-03 §2.2): an 18-bit mantissa and a
// 6-bit exponent, bitrate = mantissa * 2^exp. werift serializes only these fields (not its
// `bitrate` field), so the focus computes them itself.

export function rembBitrateFields(bitrate: number): { brExp: number; brMantissa: number } {
  let mantissa = Math.max(0, Math.floor(bitrate));
  let exp = 0;
  while (mantissa > 0x3ffff) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  return { brExp: exp, brMantissa: mantissa };
}
