// Tracks which simulcast layers of a publication are arriving: a layer with no packet for
// `timeoutMs` counts as stopped. Time comes from the injected clock.
import type { Clock } from "../../util/Clock.ts";

export class LayerMonitor {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #lastSeen = new Map<string, number>();

  constructor(clock: Clock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  /** Records a packet of layer `rid`; true when the layer was not active before. */
  packetArrived(rid: string): boolean {
    const wasActive = this.isActive(rid);
    this.#lastSeen.set(rid, this.#clock.now());
    return !wasActive;
  }

  isActive(rid: string): boolean {
    const t = this.#lastSeen.get(rid);
    return t !== undefined && this.#clock.now() - t < this.#timeoutMs;
  }

  /** The rids currently arriving. */
  activeLayers(): string[] {
    return [...this.#lastSeen.keys()].filter((rid) => this.isActive(rid));
  }
}
