import { randomBytes } from "node:crypto";

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export function randomString(bytes = 18): string {
  return randomBytes(bytes).toString("base64url");
}

export function newDeviceId(): string {
  return Array.from(randomBytes(10), (b) => letters[b % letters.length]).join("");
}

export function newRoomId(serverName: string): string {
  return `!${randomString(12)}:${serverName}`;
}

export function newEventId(): string {
  return `$${randomString(24)}`;
}

export function newAccessToken(): string {
  return `mfh_${randomString(24)}`;
}

/** Localpart of `@name:server`, or undefined when `userId` is not on `serverName`. */
export function localpartOf(userId: string, serverName: string): string | undefined {
  const suffix = `:${serverName}`;
  if (!userId.startsWith("@") || !userId.endsWith(suffix)) return undefined;
  return userId.slice(1, -suffix.length);
}

const localpartPattern = /^[a-z0-9._=\-/+]+$/;

export function isValidLocalpart(localpart: string): boolean {
  return localpart.length > 0 && localpart.length <= 200 && localpartPattern.test(localpart);
}
