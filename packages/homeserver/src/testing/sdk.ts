import { ClientEvent, createClient, type MatrixClient, type Room, SyncState } from "matrix-js-sdk";
import { logger as sdkLogger } from "matrix-js-sdk/lib/logger.js";
import { LoginType } from "../names.ts";

// matrix-js-sdk logs every sync step; its children copy the root's method factory.
const quiet = sdkLogger as unknown as { methodFactory: unknown; rebuild(): void };
quiet.methodFactory = () => () => {};
quiet.rebuild();

export const testPassword = "correct horse battery staple";

/** Registers `username` through matrix-js-sdk and returns a client logged in as that user. */
export async function registerClient(baseUrl: string, username: string): Promise<MatrixClient> {
  const anonymous = createClient({ baseUrl });
  const res = await anonymous.registerRequest({
    username,
    password: testPassword,
    auth: { type: LoginType.dummy },
  });
  return createClient({
    baseUrl,
    userId: res.user_id,
    deviceId: res.device_id!,
    accessToken: res.access_token!,
  });
}

/** Starts syncing and resolves once the first sync is done. */
export async function startSyncing(client: MatrixClient): Promise<void> {
  const ready = new Promise<void>((resolve, reject) => {
    const onSync = (state: SyncState) => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) {
        client.off(ClientEvent.Sync, onSync);
        resolve();
      } else if (state === SyncState.Error) {
        client.off(ClientEvent.Sync, onSync);
        reject(new Error("first sync failed"));
      }
    };
    client.on(ClientEvent.Sync, onSync);
  });
  await client.startClient({ initialSyncLimit: 20 });
  await ready;
}

/** Polls `check` until it returns a value (or times out with `what` in the message). */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitForRoom(client: MatrixClient, roomId: string): Promise<Room> {
  return waitFor(
    `room ${roomId} at ${client.getUserId()}`,
    () => client.getRoom(roomId) ?? undefined,
  );
}

/** A raw Client-Server API call, for what the SDK would not send (bad JSON, bad tokens). */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: string | object; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}
