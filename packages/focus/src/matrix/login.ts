// Logging the focus in: an access token from the config, or a stored login from an earlier
// run (checked with /whoami), or a password login; with `register`, a missing account is
// created (a convenience for development homeservers).
import { LoginType, UserIdentifierType } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import type { FileStore, StoredLogin } from "./FileStore.ts";
import { type MatrixHttp, MatrixRequestError } from "./MatrixHttp.ts";

export interface LoginOptions {
  homeserverUrl: string;
  userId?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  accessToken?: string | undefined;
  deviceId?: string | undefined;
  defaultDeviceId: string;
  register: boolean;
}

interface LoginResponse {
  user_id: string;
  device_id: string;
  access_token: string;
}

/** The localpart of a user id, or the username as given. */
function localpartOf(o: LoginOptions): string {
  if (o.username !== undefined) return o.username;
  const id = o.userId ?? "";
  return id.slice(1, id.includes(":") ? id.indexOf(":") : undefined);
}

async function whoami(http: MatrixHttp, token: string) {
  http.accessToken = token;
  return http.request<{ user_id: string; device_id?: string }>(
    "GET",
    "/_matrix/client/v3/account/whoami",
  );
}

async function passwordLogin(http: MatrixHttp, o: LoginOptions, deviceId: string) {
  return http.request<LoginResponse>("POST", "/_matrix/client/v3/login", {
    anonymous: true,
    body: {
      type: LoginType.password,
      identifier: { type: UserIdentifierType.user, user: o.userId ?? o.username },
      password: o.password,
      device_id: deviceId,
      initial_device_display_name: "matrix-focus",
    },
  });
}

async function register(http: MatrixHttp, o: LoginOptions, deviceId: string) {
  const body = {
    username: localpartOf(o),
    password: o.password,
    device_id: deviceId,
    initial_device_display_name: "matrix-focus",
    auth: { type: LoginType.dummy },
  };
  return http.request<LoginResponse>("POST", "/_matrix/client/v3/register", {
    anonymous: true,
    body,
  });
}

/** Logs in and leaves the token on `http`; returns who the focus is. */
export async function logIn(
  http: MatrixHttp,
  store: FileStore,
  o: LoginOptions,
  log: Logger,
): Promise<StoredLogin> {
  if (o.accessToken !== undefined) {
    const me = await whoami(http, o.accessToken);
    const deviceId = me.device_id ?? o.deviceId;
    if (deviceId === undefined) throw new Error("the access token has no device; set deviceId");
    log.info({ userId: me.user_id, deviceId }, "using the configured access token");
    return {
      homeserverUrl: o.homeserverUrl,
      userId: me.user_id,
      deviceId,
      accessToken: o.accessToken,
    };
  }
  const stored = await store.readLogin();
  const wanted = o.userId;
  if (
    stored !== undefined &&
    stored.homeserverUrl === o.homeserverUrl &&
    (wanted === undefined || stored.userId === wanted) &&
    (o.deviceId === undefined || stored.deviceId === o.deviceId)
  ) {
    try {
      const me = await whoami(http, stored.accessToken);
      if (me.user_id === stored.userId) {
        log.info({ userId: stored.userId, deviceId: stored.deviceId }, "reusing the stored login");
        return stored;
      }
    } catch (err) {
      if (!(err instanceof MatrixRequestError) || err.status !== 401) throw err;
      log.info("the stored access token is no longer valid; logging in again");
    }
  }
  const deviceId = o.deviceId ?? stored?.deviceId ?? o.defaultDeviceId;
  let res: LoginResponse;
  try {
    res = await passwordLogin(http, o, deviceId);
  } catch (err) {
    const missing =
      err instanceof MatrixRequestError && (err.errcode === "M_FORBIDDEN" || err.status === 403);
    if (!missing || !o.register) throw err;
    log.info({ username: localpartOf(o) }, "login refused; registering the account");
    res = await register(http, o, deviceId);
  }
  http.accessToken = res.access_token;
  const login: StoredLogin = {
    homeserverUrl: o.homeserverUrl,
    userId: res.user_id,
    deviceId: res.device_id,
    accessToken: res.access_token,
  };
  await store.writeLogin(login);
  log.info({ userId: login.userId, deviceId: login.deviceId }, "logged in");
  return login;
}
