// Drives every publisher at the profile's frame rates: one video frame per 1/fps and one
// Opus packet per audioFrameMs, across all publishers of the process. Frames are due on a
// fixed schedule; a late timer sends the frames it missed (up to maxCatchUp), so the rate
// stays right when the event loop is briefly busy.
import { type MediaProfile, runDefaults } from "../../config/defaults.ts";
import { nowMs } from "../clock.ts";
import type { SyntheticPublisher } from "./SyntheticPublisher.ts";

export interface Schedule {
  next: number;
  period: number;
}

/** How many frames are due at `now` (and advances the schedule past them). */
export function dueFrames(s: Schedule, now: number, maxCatchUp: number): number {
  let n = 0;
  while (now >= s.next) {
    n++;
    s.next += s.period;
  }
  if (n > maxCatchUp) {
    // too far behind: drop the backlog instead of sending a burst
    s.next = now + s.period;
    return maxCatchUp;
  }
  return n;
}

export class Pacer {
  readonly #profile: MediaProfile;
  readonly #publishers: readonly SyntheticPublisher[];
  #timer: NodeJS.Timeout | undefined;

  constructor(profile: MediaProfile, publishers: readonly SyntheticPublisher[]) {
    this.#profile = profile;
    this.#publishers = publishers;
  }

  start(tickMs = runDefaults.pacerTickMs, maxCatchUp = runDefaults.pacerMaxCatchUp): void {
    const now = nowMs();
    const video: Schedule = { next: now, period: 1000 / this.#profile.fps };
    const audio: Schedule = { next: now, period: this.#profile.audioFrameMs };
    this.#timer = setInterval(() => {
      const t = nowMs();
      for (let i = dueFrames(video, t, maxCatchUp); i > 0; i--) {
        for (const p of this.#publishers) p.sendVideoFrame(t);
      }
      for (let i = dueFrames(audio, t, maxCatchUp); i > 0; i--) {
        for (const p of this.#publishers) p.sendAudioFrame(t);
      }
    }, tickMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
