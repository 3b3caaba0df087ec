// Which worker serves which conference. Pure bookkeeping, no threads: ConferenceWorkers feeds
// it the inputs it routes and the snapshots the workers post.
//
// Placement rule: a conference is placed, on its first invite (or candidates that came before
// it), on the live worker with the least load (its home), and stays there until it has ended.
// Other input for a conference that is not placed cannot start one and is not placed. Load =
// the participants (calls, links included) of the worker's conferences as its last snapshot
// reported them, where every conference counts at least 1 (so two conferences started between
// two snapshots still go to different workers). Ties go to the lowest worker index.
// Participants stand in for CPU: on a forwarding unit the work grows with the packets in and
// out, which grow with the participants.
//
// Spreading (`spreadAbove` > 0): a device's invite goes to the first part of its conference
// (home first) with fewer than `spreadAbove` device calls; when every part is full, a new part
// starts on the least-loaded live worker that has none (when every worker has one, the part
// with the fewest calls takes it). A device calling again goes to the part that holds its
// call. The parts are linked by the conference layer like foci (SiblingLinks.ts).
//
// Forgetting: every input sent to a worker carries a sequence number, and every snapshot says
// up to which one the worker had received. A part missing from a snapshot that covers its last
// input has ended (it was seen before), or never started (its input was ignored: forgotten
// after forgetUnseenMs, so that candidates that came before their invite and the invite still
// meet on one worker). A conference is forgotten with its last part. A device call is
// forgotten when its part sends the device a hangup (callEnded: ended or refused), once a
// snapshot that listed it no longer does, or forgetUnseenMs after its invite if none ever
// listed it (a snapshot taken just after the invite arrived may not list the call yet).

export interface ConferenceCount {
  key: string;
  participants: number;
  /** call_ids of the conference's calls on this worker. */
  callIds?: readonly string[];
}

export type Route =
  | { to: "worker"; worker: number; seq: number; placed: boolean }
  /** The conference was on a worker that crashed; its calls are gone. */
  | { to: "lost" }
  /** Not placed, and this input cannot start it (the conference layer would ignore it). */
  | { to: "unplaced" }
  /** No worker is running (all are being replaced). */
  | { to: "none" };

interface Part {
  lastSeq: number;
  lastInputAt: number;
  seen: boolean;
  participants: number;
}

interface Entry {
  home: number;
  /** By worker, in the order the parts started. */
  parts: Map<number, Part>;
  /** Device calls routed to a part: call_id -> where, whose, by which input. */
  calls: Map<string, RoutedCall>;
}

interface RoutedCall {
  worker: number;
  device: string;
  seq: number;
  at: number;
  /** A snapshot of its worker listed it (the invite was answered). */
  seen: boolean;
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
   * Where an input of conference `key` goes when it belongs to no particular part: its home.
   * `starts`: "invite" may start the conference, "early" may come before the invite that starts
   * it (candidates), "none" needs a conference.
   */
  route(key: string, starts: "invite" | "early" | "none", now: number): Route {
    const entry = this.#entries.get(key);
    if (entry) return this.#to(entry, entry.home, now);
    if (this.#lost.has(key)) {
      if (starts !== "invite") return { to: "lost" };
      this.#lost.delete(key);
    }
    if (starts === "none") return { to: "unplaced" };
    const worker = this.leastLoaded();
    if (worker === undefined) return { to: "none" };
    const created: Entry = { home: worker, parts: new Map(), calls: new Map() };
    this.#entries.set(key, created);
    return this.#to(created, worker, now);
  }

  /**
   * Where a device's invite goes (see Spreading above); `spreadAbove` = 0 keeps every call of
   * a conference on its home.
   */
  routeInvite(
    key: string,
    callId: string,
    device: string,
    spreadAbove: number,
    now: number,
  ): Route {
    const entry = this.#entries.get(key);
    if (!entry) {
      const r = this.route(key, "invite", now);
      if (r.to === "worker") this.#entries.get(key)?.calls.set(callId, this.#call(r, device, now));
      return r;
    }
    const worker = this.#partFor(entry, callId, device, spreadAbove);
    const r = this.#to(entry, worker, now);
    if (r.to === "worker") entry.calls.set(callId, this.#call(r, device, now));
    return r;
  }

  #call(r: { worker: number; seq: number }, device: string, now: number): RoutedCall {
    return { worker: r.worker, device, seq: r.seq, at: now, seen: false };
  }

  #partFor(entry: Entry, callId: string, device: string, spreadAbove: number): number {
    const known = entry.calls.get(callId);
    if (known) return known.worker;
    for (const c of entry.calls.values()) if (c.device === device) return c.worker;
    if (spreadAbove <= 0) return entry.home;
    const counts = new Map<number, number>([...entry.parts.keys()].map((w) => [w, 0]));
    counts.set(entry.home, counts.get(entry.home) ?? 0);
    for (const c of entry.calls.values()) counts.set(c.worker, (counts.get(c.worker) ?? 0) + 1);
    const ordered = [entry.home, ...[...counts.keys()].filter((w) => w !== entry.home)];
    const open = ordered.find((w) => (counts.get(w) ?? 0) < spreadAbove);
    if (open !== undefined) return open;
    const fresh = this.leastLoaded(new Set(counts.keys()));
    if (fresh !== undefined) return fresh;
    let best = entry.home;
    for (const w of ordered) if ((counts.get(w) ?? 0) < (counts.get(best) ?? 0)) best = w;
    return best;
  }

  /** Where an input of call `callId` goes: the part holding it, else undefined. */
  partOfCall(key: string, callId: string): number | undefined {
    return this.#entries.get(key)?.calls.get(callId)?.worker;
  }

  /**
   * Worker `w` hung up (or refused) call `callId` of `device`: it no longer holds a place in
   * its part. Without this a refused call would count until forgetUnseenMs had passed.
   */
  callEnded(w: number, device: string, callId: string): void {
    for (const e of this.#entries.values()) {
      const c = e.calls.get(callId);
      if (c && c.worker === w && c.device === device) e.calls.delete(callId);
    }
  }

  /** Device calls of conference `key` held by parts other than worker `w`. */
  callsElsewhere(key: string, w: number): number {
    let n = 0;
    for (const c of this.#entries.get(key)?.calls.values() ?? []) if (c.worker !== w) n++;
    return n;
  }

  /** The parts holding calls of `device` (for its departure). */
  partsOfDevice(key: string, device: string): number[] {
    const entry = this.#entries.get(key);
    if (!entry) return [];
    return [
      ...new Set([...entry.calls.values()].filter((c) => c.device === device).map((c) => c.worker)),
    ];
  }

  /** Numbers an input for part `w` of a placed conference (starting the part if needed). */
  routeTo(key: string, w: number, now: number): Route {
    const entry = this.#entries.get(key);
    if (!entry) return { to: "unplaced" };
    return this.#to(entry, w, now);
  }

  #to(entry: Entry, w: number, now: number): Route {
    if (!this.#alive[w]) return { to: "none" };
    let part = entry.parts.get(w);
    const placed = part === undefined;
    if (part === undefined) {
      part = { lastSeq: 0, lastInputAt: now, seen: false, participants: 0 };
      entry.parts.set(w, part);
    }
    const seq = ++(this.#seq[w] as number);
    part.lastSeq = seq;
    part.lastInputAt = now;
    return { to: "worker", worker: w, seq, placed };
  }

  /** The live worker with the least load (lowest index on a tie), if any, not in `except`. */
  leastLoaded(except?: ReadonlySet<number>): number | undefined {
    let best: number | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let w = 0; w < this.#alive.length; w++) {
      if (!this.#alive[w] || except?.has(w)) continue;
      const load = this.load(w);
      if (load < bestLoad) {
        best = w;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Participants on worker `w`, each conference part there counting at least 1. */
  load(w: number): number {
    let n = 0;
    for (const e of this.#entries.values()) {
      const part = e.parts.get(w);
      if (part) n += Math.max(1, part.participants);
    }
    return n;
  }

  /** The home worker of conference `key`, if it is placed. */
  workerOf(key: string): number | undefined {
    return this.#entries.get(key)?.home;
  }

  /** The workers serving parts of conference `key`, home first. */
  partsOf(key: string): number[] {
    const entry = this.#entries.get(key);
    if (!entry) return [];
    return [entry.home, ...[...entry.parts.keys()].filter((w) => w !== entry.home)];
  }

  /** Conferences with a part on worker `w`. */
  conferencesOf(w: number): string[] {
    return [...this.#entries].filter(([, e]) => e.parts.has(w)).map(([k]) => k);
  }

  /** Every placed conference with more than one part. */
  spread(): { key: string; parts: number[] }[] {
    return [...this.#entries.keys()]
      .map((key) => ({ key, parts: this.partsOf(key) }))
      .filter((s) => s.parts.length > 1);
  }

  /**
   * Worker `w` reported its conferences, having received inputs up to `seq`. Returns the
   * conferences forgotten (ended, or never started).
   */
  snapshot(w: number, seq: number, conferences: ConferenceCount[], now: number): string[] {
    const present = new Map(conferences.map((c) => [c.key, c]));
    for (const [key, c] of present) {
      let e = this.#entries.get(key);
      if (e === undefined) {
        // not placed here (e.g. started before a restart of the bookkeeping): adopt it
        e = { home: w, parts: new Map(), calls: new Map() };
        this.#entries.set(key, e);
      }
      let part = e.parts.get(w);
      if (part === undefined) {
        part = { lastSeq: 0, lastInputAt: now, seen: true, participants: 0 };
        e.parts.set(w, part);
      }
      part.seen = true;
      part.participants = c.participants;
      const ids = new Set(c.callIds ?? []);
      for (const [id, call] of e.calls) {
        if (call.worker !== w) continue;
        if (ids.has(id)) call.seen = true;
        else if (call.seq <= seq && (call.seen || now - call.at > this.#forgetUnseenMs))
          e.calls.delete(id);
      }
    }
    const forgotten: string[] = [];
    for (const [key, e] of this.#entries) {
      const part = e.parts.get(w);
      if (part === undefined || present.has(key) || part.lastSeq > seq) continue;
      if (!part.seen && now - part.lastInputAt <= this.#forgetUnseenMs) continue;
      this.#dropPart(e, w);
      if (e.parts.size === 0) {
        this.#entries.delete(key);
        forgotten.push(key);
      }
    }
    return forgotten;
  }

  #dropPart(e: Entry, w: number): void {
    e.parts.delete(w);
    for (const [id, call] of e.calls) if (call.worker === w) e.calls.delete(id);
    if (e.home === w) {
      const next = e.parts.keys().next();
      if (!next.done) e.home = next.value;
    }
  }

  /**
   * Worker `w` stopped: nothing is placed on it until it is up again. Returns the conferences
   * lost with it (those it held alone; parts of spread conferences go, the rest stays).
   */
  workerDown(w: number, now: number): string[] {
    this.#alive[w] = false;
    const lost: string[] = [];
    for (const [key, e] of [...this.#entries]) {
      if (!e.parts.has(w)) continue;
      this.#dropPart(e, w);
      if (e.parts.size > 0) continue;
      this.#entries.delete(key);
      this.#lost.set(key, now);
      lost.push(key);
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
