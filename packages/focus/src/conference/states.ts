// Participant states and the transitions allowed between them.

export const ParticipantState = {
  /** Invite answered, ICE/DTLS not connected yet. */
  connecting: "connecting",
  connected: "connected",
  /** Hung up or failed; everything closed. Final. */
  ended: "ended",
} as const;
export type ParticipantStateValue = (typeof ParticipantState)[keyof typeof ParticipantState];

const transitions: Record<ParticipantStateValue, readonly ParticipantStateValue[]> = {
  connecting: ["connected", "ended"],
  connected: ["connecting", "ended"],
  ended: [],
};

export function canTransition(from: ParticipantStateValue, to: ParticipantStateValue): boolean {
  return transitions[from].includes(to);
}
