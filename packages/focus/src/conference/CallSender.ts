// Sends the focus's to-device call events for one call: fills the common fields and numbers
// them with a gap-free `seq` from 0 per call_id, sent one after another in that order.
import type {
  CallEvent,
  CallEventCommon,
  CallEventContents,
  CallEventKind,
} from "@matrix-focus/protocol";
import { Values } from "@matrix-focus/protocol";
import type { Logger } from "pino";
import type { CallSignalling } from "./ConferenceManager.ts";
import type { ConferenceKey, DeviceRef } from "./inputs.ts";

export interface CallSenderOptions {
  signalling: CallSignalling;
  focus: DeviceRef;
  to: DeviceRef;
  conference: ConferenceKey;
  callId: string;
  /** The focus's session id for this call. */
  focusSessionId: string;
  /** The caller's sender_session_id (our dest_session_id). */
  destSessionId: string;
  logger: Logger;
}

type Specific<K extends CallEventKind> = Omit<CallEventContents[K], keyof CallEventCommon>;

export class CallSender {
  readonly #o: CallSenderOptions;
  #seq = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(o: CallSenderOptions) {
    this.#o = o;
  }

  send<K extends CallEventKind>(kind: K, specific: Specific<K>): Promise<void> {
    const o = this.#o;
    const common: CallEventCommon = {
      call_id: o.callId,
      conf_id: o.conference.confId,
      party_id: o.focus.deviceId,
      version: Values.callVersion,
      device_id: o.focus.deviceId,
      sender_session_id: o.focusSessionId,
      dest_session_id: o.destSessionId,
      seq: this.#seq++,
      room_id: o.conference.roomId,
    };
    const event = { kind, content: { ...common, ...specific } } as CallEvent;
    this.#chain = this.#chain.then(() =>
      o.signalling.sendCallEvent(o.to, event).catch((err: unknown) => {
        o.logger.warn({ err, kind, callId: o.callId }, "sending a call event failed");
      }),
    );
    return this.#chain;
  }
}
