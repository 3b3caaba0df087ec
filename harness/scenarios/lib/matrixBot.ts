// A werift bot whose call events travel as to-device messages of a matrix-js-sdk client.
import { encodeCallEvent, type FocusRef, parseCallEvent } from "@matrix-focus/protocol";
import { ClientEvent, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { Bot, type BotOptions } from "../../bots/Bot.ts";

export interface MatrixBotOptions {
  roomId: string;
  confId: string;
  /** Passed on to the bot. */
  bot?: Partial<BotOptions>;
  /** Swallow failed sends (a focus being killed) instead of failing the chain. Default false. */
  ignoreSendErrors?: boolean;
  /** Feed the call events `client` receives to this bot. Default true. */
  receive?: boolean;
}

/** The bot; its events go out in order, one to-device message at a time. */
export function matrixBot(client: MatrixClient, focus: FocusRef, o: MatrixBotOptions): Bot {
  let chain = Promise.resolve();
  const bot = new Bot({
    ...o.bot,
    user: { userId: client.getUserId() as string, deviceId: client.getDeviceId() as string },
    focus,
    conference: { roomId: o.roomId, confId: o.confId },
    send: (event) => {
      const { type, content } = encodeCallEvent(event);
      const to = new Map([[focus.userId, new Map([[focus.deviceId, content]])]]);
      chain = chain.then(async () => {
        const sent = client.sendToDevice(type, to);
        await (o.ignoreSendErrors ? sent.catch(() => {}) : sent);
      });
    },
  });
  if (o.receive ?? true) routeCallEvents(client, () => bot);
  return bot;
}

/** Feeds every call event `client` receives to the bot `current()` names at that moment. */
export function routeCallEvents(client: MatrixClient, current: () => Bot): void {
  client.on(ClientEvent.ToDeviceEvent, (ev: MatrixEvent) => {
    const parsed = parseCallEvent(ev.getType(), ev.getContent());
    if (parsed.ok)
      void current()
        .receiveCallEvent(parsed.value)
        .catch(() => {});
  });
}
