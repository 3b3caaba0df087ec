// When a step of a saturation ladder (bench/saturation.ts) still carries its calls in full, and
// what a ladder carried. Pure, so that the rule is tested apart from the runs.

export interface LadderStep {
  calls: number;
  /** Undefined when the step failed (set-up timed out, the SUT exited). */
  forwardedPps?: number | undefined;
  loss?: number | undefined;
  failedJoins?: number | undefined;
  /** The subscribers' delay p50, ms. */
  delayP50Ms?: number | undefined;
}

export interface FullRule {
  /** A step losing this fraction or more is past the limit. */
  lossLimit: number;
  /** A step forwarding less than this share of the reference packets per call is past its limit. */
  fullShare: number;
  /**
   * A step whose median packet waited this long or longer is past its limit (a standing queue
   * at the focus: it may forward every packet, late, with no loss).
   */
  delayP50LimitMs: number;
}

/** Forwarded packets/s per call of a step (0 for a failed one). */
export const perCall = (s: LadderStep): number => (s.forwardedPps ?? 0) / Math.max(1, s.calls);

/**
 * Whether a step carried its calls in full: it ran, lost less than the limit, every join
 * succeeded, it forwarded at least `fullShare` of `referencePerCall` (the packets per call
 * of the ladder's first, unloaded step) and its median delay stayed under the limit.
 */
export function carriesInFull(s: LadderStep, referencePerCall: number, rule: FullRule): boolean {
  return (
    s.forwardedPps !== undefined &&
    (s.loss ?? 1) < rule.lossLimit &&
    (s.failedJoins ?? 0) === 0 &&
    perCall(s) >= rule.fullShare * referencePerCall &&
    (s.delayP50Ms ?? 0) < rule.delayP50LimitMs
  );
}

/** The packets per call a ladder's steps are held to: those of its first step that ran. */
export function referencePerCall(steps: readonly LadderStep[]): number {
  const reference = steps.find((s) => s.forwardedPps !== undefined);
  return reference ? perCall(reference) : 0;
}

/**
 * What one set-up's ladder carried in full: the most calls and the most packets/s forwarded in
 * such steps, and whether any step was past the limit (if none was, both are lower bounds).
 * The first step that ran is the reference.
 */
export function carried(
  steps: readonly LadderStep[],
  rule: FullRule,
): { calls: number; pps: number; reachedLimit: boolean } {
  const ref = referencePerCall(steps);
  const full = steps.filter((s) => carriesInFull(s, ref, rule));
  return {
    calls: Math.max(0, ...full.map((s) => s.calls)),
    pps: Math.max(0, ...full.map((s) => s.forwardedPps ?? 0)),
    reachedLimit: full.length < steps.length,
  };
}
