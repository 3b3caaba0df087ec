// What the rest of the focus uses of its conference layer: the Matrix side (CallEventInbox,
// MembershipWatcher, CallRegistry), cascading (LinkCoordinator), metrics and the debug server.
// Both the in-process ConferenceManager and ConferenceWorkers provide it.
import type {
  ConferenceDump,
  ConferenceLinks,
  FocusStats,
} from "../conference/ConferenceManager.ts";
import type { ConferenceInput } from "../conference/inputs.ts";

export interface ConferenceLayer {
  /** Queues an input for its conference; never throws. */
  handle(input: ConferenceInput): void;
  stats(): FocusStats;
  dump(): ConferenceDump[];
  links(): ConferenceLinks[];
  /** True while a call with this call_id is known to the focus. */
  hasCall(callId: string): boolean;
  /** Resolves once every conference has handled what was queued so far (for tests). */
  idle(): Promise<void>;
  /** Hangs up every call (focus_shutdown) and closes every conference. Idempotent. */
  close(): Promise<void>;
}
