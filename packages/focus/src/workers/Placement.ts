// Which worker serves which conference. Pure bookkeeping, no threads: ConferenceWorkers feeds
// it the inputs it routes and the snapshots the workers post.
//
// Placement rule: a conference is placed, on its first invite (or candidates that came before
// it), on the live worker with the least load, and stays there until it has ended. Other input
// for a conference that is not placed cannot start one and is not placed. Load = the participants (calls, links
// included) of the worker's conferences as its last snapshot reported them, where every
// conference counts at least 1 (so two conferences started between two snapshots still go to
// different workers). Ties go to the lowest worker index. Participants stand in for CPU: on a
// forwarding unit the work grows with the packets in and out, which grow with the participants.
//
// Forgetting: every input sent to a worker carries a sequence number, and every snapshot says
// up to which one the worker had received. A conference missing from a snapshot that covers
// its last input has ended (it was seen before), or never started (its input was ignored:
// forgotten after forgetUnseenMs, so that candidates that came before their invite and the
// invite still meet on one worker).

export interface ConferenceCount {
  key: string;
  participants: number;
}

export type Route =
  | { to: "worker"; worker: number; seq: number; placed: boolean }
  /** The conference was on a worker that crashed; its calls are gone. */
  | { to: "lost" }
  /** Not placed, and this input cannot start it (the conference layer would ignore it). */
  | { to: "unplaced" }
  /** No worker is running (all are being replaced). */
  | { to: "none" };

interface Entry {
  worker: number;
  lastSeq: number;
  lastInputAt: number;
  seen: boolean;
  participants: number;
}

export class Placement {
  readonly #alive: boolean[];
  readonly #seq: number[];
  readonly #entries = new Map<string, Entry>();
  /** Conferences lost with a crashed worker -> when. */
  readonly #lost = new Map<string, number>();
  readonly #forgetUnseenMs: number;
  readonly #lostMemoryMs: number;

  constructor(workers: number, o: { forgetUnseenMs: number; lostMemoryMs: number }) {
    this.#alive = new Array<boolean>(workers).fill(true);
    this.#seq = new Array<number>(workers).fill(0);
    this.#forgetUnseenMs = o.forgetUnseenMs;
    this.#lostMemoryMs = o.lostMemoryMs;
  }

  /**
   * Where an input of conference `key` goes. `starts`: "invite" may start the conference,
   * "early" may come before the invite that starts it (candidates), "none" needs a conference.
   */
  route(key: string, starts: "invite" | "early" | "none", now: number): Route {
    let entry = this.#entries.get(key);
    let placed = false;
    if (entry === undefined) {
      if (this.#lost.has(key)) {
        if (starts !== "invite") return { to: "lost" };
        this.#lost.delete(key);
      }
      if (starts === "none") return { to: "unplaced" };
      const worker = this.leastLoaded();
      if (worker === undefined) return { to: "none" };
      entry = { worker, lastSeq: 0, lastInputAt: now, seen: false, participants: 0 };
      this.#entries.set(key, entry);
      placed = true;
    }
    const seq = ++(this.#seq[entry.worker] as number);
    entry.lastSeq = seq;
    entry.lastInputAt = now;
    return { to: "worker", worker: entry.worker, seq, placed };
  }

  /** The live worker with the least load (lowest index on a tie), if any is live. */
  leastLoaded(): number | undefined {
    let best: number | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let w = 0; w < this.#alive.length; w++) {
      if (!this.#alive[w]) continue;
      const load = this.load(w);
      if (load < bestLoad) {
        best = w;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Participants on worker `w`, each placed conference counting at least 1. */
  load(w: number): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.worker === w) n += Math.max(1, e.participants);
    return n;
  }

  /** The worker serving conference `key`, if it is placed. */
  workerOf(key: string): number | undefined {
    return this.#entries.get(key)?.worker;
  }

  /** Conferences placed on worker `w`. */
  conferencesOf(w: number): string[] {
    return [...this.#entries].filter(([, e]) => e.worker === w).map(([k]) => k);
  }

  /**
   * Worker `w` reported its conferences, having received inputs up to `seq`. Returns the
   * conferences forgotten (ended, or never started).
   */
  snapshot(w: number, seq: number, conferences: ConferenceCount[], now: number): string[] {
    const present = new Map(conferences.map((c) => [c.key, c.participants]));
    for (const [key, participants] of present) {
      const e = this.#entries.get(key);
      if (e === undefined) {
        // not placed here (e.g. started before a restart of the bookkeeping): adopt it
        this.#entries.set(key, {
          worker: w,
          lastSeq: 0,
          lastInputAt: now,
          seen: true,
          participants,
        });
      } else if (e.worker === w) {
        e.seen = true;
        e.participants = participants;
      }
    }
    const forgotten: string[] = [];
    for (const [key, e] of this.#entries) {
      if (e.worker !== w || present.has(key) || e.lastSeq > seq) continue;
      if (e.seen || now - e.lastInputAt > this.#forgetUnseenMs) {
        this.#entries.delete(key);
        forgotten.push(key);
      }
    }
    return forgotten;
  }

  /** Worker `w` stopped: nothing is placed on it until it is up again. Returns its conferences. */
  workerDown(w: number, now: number): string[] {
    this.#alive[w] = false;
    const lost = this.conferencesOf(w);
    for (const key of lost) {
      this.#entries.delete(key);
      this.#lost.set(key, now);
    }
    for (const [key, at] of this.#lost) if (now - at > this.#lostMemoryMs) this.#lost.delete(key);
    return lost;
  }

  /** Worker `w` (a replacement) is running: its sequence numbers start again. */
  workerUp(w: number): void {
    this.#alive[w] = true;
    this.#seq[w] = 0;
  }

  isAlive(w: number): boolean {
    return this.#alive[w] === true;
  }
}

/**
 * Splits an inclusive UDP port range between `n` workers so that they never collide; the last
 * worker takes what does not divide evenly. Throws when there are fewer ports than workers.
 */
export function splitPortRange(range: [number, number], n: number): [number, number][] {
  const [min, max] = range;
  const size = Math.floor((max - min + 1) / n);
  if (size < 1) {
    throw new Error(`the media port range ${min}-${max} has fewer ports than the ${n} workers`);
  }
  return Array.from({ length: n }, (_, i) => [
    min + i * size,
    i === n - 1 ? max : min + (i + 1) * size - 1,
  ]);
}
