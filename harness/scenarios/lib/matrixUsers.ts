// Users of the embedded homeserver as syncing matrix-js-sdk clients, stopped together.
import { AuthType, ClientEvent, createClient, type MatrixClient, SyncState } from "matrix-js-sdk";

export class MatrixUsers {
  readonly #baseUrl: () => string;
  readonly clients: MatrixClient[] = [];

  /** `baseUrl` is read at each registration (the homeserver may start after this is made). */
  constructor(baseUrl: () => string) {
    this.#baseUrl = baseUrl;
  }

  /**
   * Registers `username` and resolves once its client has synced; `beforeStart` sees the client
   * before its first sync (to listen from the start).
   */
  async register(
    username: string,
    beforeStart: (client: MatrixClient) => void = () => {},
  ): Promise<MatrixClient> {
    const baseUrl = this.#baseUrl();
    const res = await createClient({ baseUrl }).registerRequest({
      username,
      password: "pw",
      auth: { type: AuthType.Dummy },
    });
    const client = createClient({
      baseUrl,
      userId: res.user_id,
      deviceId: res.device_id as string,
      accessToken: res.access_token as string,
    });
    beforeStart(client);
    const prepared = new Promise<void>((resolve) => {
      client.on(ClientEvent.Sync, (state) => {
        if (state === SyncState.Prepared) resolve();
      });
    });
    await client.startClient({ initialSyncLimit: 1 });
    await prepared;
    this.clients.push(client);
    return client;
  }

  stopAll(): void {
    for (const c of this.clients) c.stopClient();
  }
}
