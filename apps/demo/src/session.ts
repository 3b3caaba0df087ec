// Signing in, registering and keeping the session of this tab. Uses matrix-js-sdk for every
// request; the session lives in sessionStorage so that two tabs can be two different users.
import { AuthNames } from "@matrix-focus/protocol";
import {
  ClientEvent,
  createClient,
  type LoginResponse,
  type MatrixClient,
  MatrixError,
  SyncState,
  type SyncStateData,
} from "matrix-js-sdk";
import { demoDefaults } from "./defaults.ts";

export interface Session {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
}

const deviceDisplayName = "matrix-focus demo";

function toSession(homeserverUrl: string, res: LoginResponse): Session {
  return {
    homeserverUrl,
    userId: res.user_id,
    deviceId: res.device_id,
    accessToken: res.access_token,
  };
}

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(demoDefaults.sessionStorageKey);
  if (raw === null) return undefined;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (s.homeserverUrl && s.userId && s.deviceId && s.accessToken) return s as Session;
  } catch {
    // fall through: a broken entry is dropped
  }
  sessionStorage.removeItem(demoDefaults.sessionStorageKey);
  return undefined;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(demoDefaults.sessionStorageKey, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(demoDefaults.sessionStorageKey);
}

export async function signIn(
  homeserverUrl: string,
  username: string,
  password: string,
): Promise<Session> {
  const anon = createClient({ baseUrl: homeserverUrl });
  const res = await anon.loginRequest({
    type: AuthNames.loginPassword.stable,
    identifier: { type: AuthNames.userIdentifier.stable, user: username },
    password,
    initial_device_display_name: deviceDisplayName,
  });
  return toSession(homeserverUrl, res);
}

/** Registers an account; completes a dummy user-interactive auth stage when asked for one. */
export async function register(
  homeserverUrl: string,
  username: string,
  password: string,
): Promise<Session> {
  const anon = createClient({ baseUrl: homeserverUrl });
  const request = { username, password, initial_device_display_name: deviceDisplayName };
  try {
    const res = await anon.registerRequest({
      ...request,
      auth: { type: AuthNames.loginDummy.stable },
    });
    return toSession(homeserverUrl, res as LoginResponse);
  } catch (e) {
    const session = e instanceof MatrixError ? (e.data as { session?: string }).session : undefined;
    if (e instanceof MatrixError && e.httpStatus === 401 && session !== undefined) {
      const res = await anon.registerRequest({
        ...request,
        auth: { type: AuthNames.loginDummy.stable, session },
      });
      return toSession(homeserverUrl, res as LoginResponse);
    }
    throw e;
  }
}

/** Creates a client for the session, starts syncing and waits for the first sync. */
export async function startClient(session: Session): Promise<MatrixClient> {
  const client = createClient({
    baseUrl: session.homeserverUrl,
    userId: session.userId,
    deviceId: session.deviceId,
    accessToken: session.accessToken,
  });
  const prepared = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the homeserver did not answer the first sync in time")),
      demoDefaults.initialSyncTimeoutMs,
    );
    const onSync = (state: SyncState, _prev: SyncState | null, data?: SyncStateData) => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) {
        clearTimeout(timer);
        client.off(ClientEvent.Sync, onSync);
        resolve();
      } else if (state === SyncState.Error && data?.error instanceof MatrixError) {
        if (data.error.errcode === "M_UNKNOWN_TOKEN") {
          clearTimeout(timer);
          reject(new Error("the session has expired; sign in again"));
        }
      }
    };
    client.on(ClientEvent.Sync, onSync);
  });
  await client.startClient({ initialSyncLimit: 1 });
  try {
    await prepared;
  } catch (e) {
    client.stopClient();
    throw e;
  }
  return client;
}
