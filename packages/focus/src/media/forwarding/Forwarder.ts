// Decides, per packet, what one subscription does with it (decide vs do: the TrackSender does
// the I/O). It forwards the current layer; when a different layer is wanted it keeps
// forwarding the current one until the wanted layer delivers a keyframe, then switches.

export type ForwardDecision = "forward" | "switch" | "drop";

export class Forwarder {
  readonly #needsKeyframe: boolean;
  #current: string | undefined;
  #target: string | undefined;

  /** `needsKeyframe`: video must start and switch on a keyframe; audio need not. */
  constructor(needsKeyframe: boolean) {
    this.#needsKeyframe = needsKeyframe;
  }

  get currentLayer(): string | undefined {
    return this.#current;
  }

  get targetLayer(): string | undefined {
    return this.#target;
  }

  /** True while a wanted layer waits for its keyframe. */
  get waitingForKeyframe(): boolean {
    return this.#target !== undefined && this.#target !== this.#current;
  }

  /** Sets the wanted layer (undefined = nothing arriving: keep whatever still flows). */
  setTarget(rid: string | undefined): void {
    this.#target = rid;
  }

  decide(rid: string, keyframe: boolean): ForwardDecision {
    if (
      rid === this.#current &&
      (this.#target === undefined || rid === this.#target || !this.waitingForKeyframe)
    ) {
      return "forward";
    }
    if (rid === this.#target) {
      if (this.#needsKeyframe && !keyframe) return rid === this.#current ? "forward" : "drop";
      const first = this.#current === undefined;
      this.#current = rid;
      return first ? "forward" : "switch";
    }
    if (rid === this.#current) return "forward";
    return "drop";
  }
}
