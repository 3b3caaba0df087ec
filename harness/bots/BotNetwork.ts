// In-memory to-device routing between bots and a focus, for tests without a homeserver.
// Every event crosses a wire round trip (encodeCallEvent -> JSON -> parseCallEvent), so the
// shapes both sides send are checked against the protocol schemas.
import { type CallEvent, encodeCallEvent, parseCallEvent } from "@matrix-focus/protocol";
import { Bot, type BotOptions, type DeviceRef } from "./Bot.ts";

export interface BotNetworkOptions {
  focus: DeviceRef;
  conference: { roomId: string; confId: string };
  /** Hands a bot's (validated) call event to the focus. */
  deliverToFocus: (sender: DeviceRef, event: CallEvent) => void;
}

export class BotNetwork {
  readonly bots = new Map<string, Bot>();
  /** Events the focus sent that did not survive the wire round trip. */
  readonly invalidFromFocus: string[] = [];
  /** Every event the focus sent, in order, with its recipient. */
  readonly fromFocus: { to: DeviceRef; event: CallEvent }[] = [];
  readonly #o: BotNetworkOptions;

  constructor(o: BotNetworkOptions) {
    this.#o = o;
  }

  /** The focus's side of signalling: `{ sendCallEvent }` for a ConferenceManager. */
  readonly signalling = {
    sendCallEvent: async (to: DeviceRef, event: CallEvent): Promise<void> => {
      const parsed = roundTrip(event);
      if (!parsed.ok) {
        this.invalidFromFocus.push(parsed.error);
        return;
      }
      this.fromFocus.push({ to, event: parsed.value });
      const bot = this.bots.get(`${to.userId}|${to.deviceId}`);
      if (bot) setImmediate(() => void bot.receiveCallEvent(parsed.value).catch(() => {}));
    },
  };

  /** Creates a bot in the conference (call `join()` on it to call the focus). */
  addBot(name: string, options: Partial<BotOptions> = {}): Bot {
    const user = { userId: `@${name}:localhost`, deviceId: `${name.toUpperCase()}DEV` };
    const bot = new Bot({
      user,
      focus: this.#o.focus,
      conference: this.#o.conference,
      send: (event) => {
        const parsed = roundTrip(event);
        if (!parsed.ok) throw new Error(`bot sent an invalid ${event.kind}: ${parsed.error}`);
        this.#o.deliverToFocus(user, parsed.value);
      },
      ...options,
    });
    this.bots.set(`${user.userId}|${user.deviceId}`, bot);
    return bot;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.bots.values()].map((b) => b.close()));
  }
}

function roundTrip(
  event: CallEvent,
): { ok: true; value: CallEvent } | { ok: false; error: string } {
  const wire = encodeCallEvent(event);
  const parsed = parseCallEvent(wire.type, JSON.parse(JSON.stringify(wire.content)));
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, error: parsed.error.message };
}
