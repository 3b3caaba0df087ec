// Drives every publisher at the profile's frame rates: one video frame per 1/fps and one
// Opus packet per audioFrameMs, across all publishers of the process.
import type { MediaProfile } from "../../config/defaults.ts";
import type { SyntheticPublisher } from "./SyntheticPublisher.ts";

export class Pacer {
  readonly #profile: MediaProfile;
  readonly #publishers: readonly SyntheticPublisher[];
  #timers: NodeJS.Timeout[] = [];

  constructor(profile: MediaProfile, publishers: readonly SyntheticPublisher[]) {
    this.#profile = profile;
    this.#publishers = publishers;
  }

  start(): void {
    this.#timers.push(
      setInterval(() => {
        const now = performance.now();
        for (const p of this.#publishers) p.sendVideoFrame(now);
      }, 1000 / this.#profile.fps),
      setInterval(() => {
        const now = performance.now();
        for (const p of this.#publishers) p.sendAudioFrame(now);
      }, this.#profile.audioFrameMs),
    );
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }
}
