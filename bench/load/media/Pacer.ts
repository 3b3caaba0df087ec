// Drives every publisher at the profile's frame rates: one video frame per 1/fps and one
// Opus packet per audioFrameMs. Frames are due on a fixed schedule per publisher; a late timer
// sends the frames it missed (up to maxCatchUp), so the rate stays right when the event loop
// is briefly busy.
//
// Phases: real cameras and microphones are not synchronised, so by default each publisher
// sends at its own offset within the frame period ("spread"). "aligned" sends every
// publisher's frame at the same moment (what the load did before 2026-12-06): the SUT then
// sees one burst per frame period, and a packet arriving behind it waits for all of it.
import { flushSends } from "@matrix-focus/focus";
import { type FramePhases, type MediaProfile, runDefaults } from "../../config/defaults.ts";
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

const GOLDEN = 0.6180339887498949;

/**
 * Offset of publisher `index` within a period, as a fraction in [0, 1): the golden-ratio
 * sequence, so any set of indices (each load process holds a different one) lies evenly.
 */
export function phaseFraction(index: number): number {
  return (index * GOLDEN) % 1;
}

/** A schedule whose frames fall on epoch + phase + k·period, the first one at or after now. */
export function phasedSchedule(
  epoch: number,
  now: number,
  period: number,
  phase: number,
): Schedule {
  const first = epoch + phase * period;
  const k = Math.max(0, Math.ceil((now - first) / period));
  return { next: first + k * period, period };
}

interface PublisherSchedules {
  video: Schedule;
  audio: Schedule;
}

export class Pacer {
  readonly #profile: MediaProfile;
  readonly #publishers: readonly SyntheticPublisher[];
  readonly #phases: FramePhases;
  readonly #schedules = new Map<SyntheticPublisher, PublisherSchedules>();
  #timer: NodeJS.Timeout | undefined;

  /** `publishers` may grow while the pacer runs (publishers join after it starts). */
  constructor(
    profile: MediaProfile,
    publishers: readonly SyntheticPublisher[],
    phases: FramePhases = runDefaults.framePhases,
  ) {
    this.#profile = profile;
    this.#publishers = publishers;
    this.#phases = phases;
  }

  start(tickMs = runDefaults.pacerTickMs, maxCatchUp = runDefaults.pacerMaxCatchUp): void {
    const epoch = nowMs();
    this.#timer = setInterval(() => {
      const t = nowMs();
      for (const p of this.#publishers) {
        const s = this.#schedules.get(p) ?? this.#schedule(p, epoch, t);
        for (let i = dueFrames(s.video, t, maxCatchUp); i > 0; i--) p.sendVideoFrame(t);
        for (let i = dueFrames(s.audio, t, maxCatchUp); i > 0; i--) p.sendAudioFrame(t);
        p.pace(t);
      }
      // the tick's packets leave now, not after the I/O callbacks of this turn (RtpOut.ts)
      flushSends();
    }, tickMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#schedules.clear();
  }

  #schedule(p: SyntheticPublisher, epoch: number, now: number): PublisherSchedules {
    const phase = this.#phases === "spread" ? phaseFraction(p.index) : 0;
    const s = {
      video: phasedSchedule(epoch, now, 1000 / this.#profile.fps, phase),
      audio: phasedSchedule(epoch, now, this.#profile.audioFrameMs, phase),
    };
    this.#schedules.set(p, s);
    return s;
  }
}
