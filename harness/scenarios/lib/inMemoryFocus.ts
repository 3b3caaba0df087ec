// A ConferenceManager whose signalling runs in memory to werift bots (BotNetwork), closed after
// each test of the file that uses it.
import { ConferenceManager, type ConferenceManagerOptions } from "@matrix-focus/focus";
import type { CallEvent } from "@matrix-focus/protocol";
import { afterEach } from "vitest";
import { BotNetwork } from "../../bots/BotNetwork.ts";

export const testFocus = { userId: "@focus:localhost", deviceId: "FOCUSDEV" };
export const testConference = { roomId: "!room:localhost", confId: "conf1" };

export type ManagerOptions = Omit<ConferenceManagerOptions, "focus" | "signalling">;

export interface InMemoryFocus {
  m: ConferenceManager;
  network: BotNetwork;
}

/**
 * Returns a `setup` that starts a manager with these options (and `beforeDelivery` called with
 * each event before the focus gets it); the one started last is closed after each test.
 */
export function useInMemoryFocus(): (
  options?: ManagerOptions,
  beforeDelivery?: (event: CallEvent) => void,
) => InMemoryFocus {
  let current: InMemoryFocus | undefined;
  afterEach(async () => {
    await current?.network.closeAll();
    await current?.m.close();
    current = undefined;
  });
  return (options = {}, beforeDelivery) => {
    const network: BotNetwork = new BotNetwork({
      focus: testFocus,
      conference: testConference,
      deliverToFocus: (sender, event) => {
        beforeDelivery?.(event);
        m.handle({ kind: "callEventReceived", conference: testConference, sender, event });
      },
    });
    const m = new ConferenceManager({
      ...options,
      focus: testFocus,
      signalling: network.signalling,
    });
    current = { m, network };
    return current;
  };
}
