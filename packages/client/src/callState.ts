// The call's state machine: one state, one transition table, one place that changes it.

import type { CallState } from "./types.ts";

const transitions: Record<CallState, readonly CallState[]> = {
  connecting: ["connected", "reconnecting", "failed", "ended"],
  connected: ["reconnecting", "failed", "ended"],
  reconnecting: ["connected", "failed", "ended"],
  failed: ["ended"],
  ended: [],
};

/** True when the call may move from `from` to `to`. */
export function canTransition(from: CallState, to: CallState): boolean {
  return transitions[from].includes(to);
}
