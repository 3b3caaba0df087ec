// Joins, on demand, a room that a call invite names by `room_id` when the focus is not yet in
// it (protocol.md "Security": "for a public room the focus may join by itself when a call for
// it arrives"). Runs before the batch is handled, so the invite is then judged with the room's
// state like any other. Each room is tried at most once per `retryAfterMs`.
import { CallEventNames, lookUpName } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import { isAllowedServer } from "../auth/authorise.ts";
import type { Clock } from "../util/Clock.ts";
import { type MatrixHttp, seg } from "./MatrixHttp.ts";
import type { RoomStateTracker } from "./RoomStateTracker.ts";
import type { MatrixEvent, ToDeviceEvent } from "./syncTypes.ts";

export interface RoomJoinerOptions {
  http: MatrixHttp;
  rooms: RoomStateTracker;
  allowedHomeservers: readonly string[];
  clock: Clock;
  logger: Logger;
  retryAfterMs: number;
}

export class RoomJoiner {
  readonly #o: RoomJoinerOptions;
  readonly #tried = new Map<string, number>();

  constructor(o: RoomJoinerOptions) {
    this.#o = o;
  }

  /** Joins every room named by an invite in `events` that the focus is not in (when allowed). */
  async joinRoomsNamedBy(events: readonly ToDeviceEvent[]): Promise<void> {
    const wanted = new Set<string>();
    for (const ev of events) {
      if (lookUpName(CallEventNames, String(ev.type)) !== "invite") continue;
      const roomId = (ev.content as { room_id?: unknown } | null)?.room_id;
      if (typeof roomId !== "string" || this.#o.rooms.hasRoom(roomId)) continue;
      if (!isAllowedServer(ev.sender, this.#o.allowedHomeservers)) continue;
      wanted.add(roomId);
    }
    for (const roomId of wanted) await this.#join(roomId);
  }

  async #join(roomId: string): Promise<void> {
    const now = this.#o.clock.now();
    const last = this.#tried.get(roomId);
    if (last !== undefined && now - last < this.#o.retryAfterMs) return;
    this.#tried.set(roomId, now);
    try {
      await this.#o.http.request("POST", `/_matrix/client/v3/join/${seg(roomId)}`, { body: {} });
      const state = await this.#o.http.request<MatrixEvent[]>(
        "GET",
        `/_matrix/client/v3/rooms/${seg(roomId)}/state`,
      );
      this.#o.rooms.replaceRoom(roomId, state);
      this.#o.logger.info({ roomId }, "joined the room of an incoming call");
    } catch (err) {
      this.#o.logger.info(
        { roomId, err: String(err) },
        "could not join the room of an incoming call",
      );
    }
  }
}
