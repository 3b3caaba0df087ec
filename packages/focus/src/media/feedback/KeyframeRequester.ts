// Decides when a keyframe request (PLI, RFC 4585 §6.3.1) for one media source goes upstream,
// so that many subscribers asking at once cause one request, and one who asks after the last
// request was answered does not wait long (docs/decisions/keyframe-requests.md):
// - while a request is outstanding (sent, no keyframe of the source since) the keyframe on its
//   way serves everyone who asks: no new request, unless it stays unanswered for `retryMs`
//   (lost or ignored);
// - two requests are never closer together than `minGapMs`;
// - libwebrtc publishers (Chrome, Firefox, Safari) ignore a request that comes less than
//   about 300 ms after the one they acted on: a request sent sooner than `publisherGapMs`
//   after the last answered one and still unanswered is sent once more when that has passed.
// Without `keyframeArrived` reports every request stays outstanding: then this is a plain
// throttle of one request per `retryMs`.
import type { Clock } from "../../util/Clock.ts";

export interface KeyframeRequestTimings {
  /** An unanswered request is sent again after this long, ms. */
  retryMs: number;
  /** The least time between two requests for one source, ms (at most `retryMs`). */
  minGapMs: number;
  /**
   * A request sent less than this after the last answered one may be ignored by the
   * publisher; if unanswered it is sent once more when this much has passed since the
   * answered one, ms.
   */
  publisherGapMs: number;
}

interface SourceState {
  sentAt: number;
  /** True until a keyframe of the source arrives. */
  outstanding: boolean;
  /** When the last request that a keyframe answered was sent. */
  answeredSentAt: number | undefined;
}

export class KeyframeRequester {
  readonly #clock: Clock;
  readonly #t: KeyframeRequestTimings;
  readonly #sources = new Map<number, SourceState>();

  /** Only `retryMs` given: one request per `retryMs` (keyframe reports change nothing). */
  constructor(clock: Clock, retryMs: number, timings: Partial<KeyframeRequestTimings> = {}) {
    this.#clock = clock;
    const minGapMs = Math.min(timings.minGapMs ?? retryMs, retryMs);
    this.#t = { retryMs, minGapMs, publisherGapMs: timings.publisherGapMs ?? minGapMs };
  }

  /** True when a PLI for `ssrc` may be sent now (and records it as sent). */
  shouldRequest(ssrc: number): boolean {
    const now = this.#clock.now();
    const s = this.#sources.get(ssrc);
    if (s && !this.#due(s, now)) return false;
    this.#sources.set(ssrc, { sentAt: now, outstanding: true, answeredSentAt: s?.answeredSentAt });
    return true;
  }

  /** The first packet of a keyframe of `ssrc` arrived: it answers the request outstanding. */
  keyframeArrived(ssrc: number): void {
    const s = this.#sources.get(ssrc);
    if (!s?.outstanding) return;
    s.outstanding = false;
    s.answeredSentAt = s.sentAt;
  }

  #due(s: SourceState, now: number): boolean {
    const since = now - s.sentAt;
    if (!s.outstanding) return since >= this.#t.minGapMs;
    if (since >= this.#t.retryMs) return true;
    // sent so soon after the last answered request that the publisher may have ignored it
    const answered = s.answeredSentAt;
    const gap = this.#t.publisherGapMs;
    return answered !== undefined && s.sentAt - answered < gap && now - answered >= gap;
  }
}
