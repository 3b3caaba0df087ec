// The focus-wide reads of the workers' snapshots when a conference may be spread over several
// workers: its sibling links are the focus's own business, so the cascade sees one conference
// per key (at its home, with the devices of every part) and the gauges count no sibling link.
import type { ConferenceLinks, FocusStats } from "../conference/ConferenceManager.ts";
import { conferenceKeyString } from "../conference/inputs.ts";
import type { WorkerSnapshot } from "./messages.ts";
import { sumStats } from "./stats.ts";

/**
 * Links as the cascade coordinator sees them: per conference, the links to other foci at its
 * home worker (`homeOf`), and the devices of all its parts.
 */
export function mergedLinks(
  snapshots: readonly (WorkerSnapshot | undefined)[],
  homeOf: (key: string) => number | undefined,
): ConferenceLinks[] {
  const locals = new Map<string, number>();
  for (const s of snapshots)
    for (const c of s?.links ?? []) {
      const key = conferenceKeyString(c.conference);
      locals.set(key, (locals.get(key) ?? 0) + c.localParticipants);
    }
  const out: ConferenceLinks[] = [];
  snapshots.forEach((s, w) => {
    for (const c of s?.links ?? []) {
      const key = conferenceKeyString(c.conference);
      const home = homeOf(key);
      if (home !== undefined && home !== w) continue;
      out.push({
        conference: c.conference,
        localParticipants: locals.get(key) ?? c.localParticipants,
        links: c.links.filter((l) => !l.sibling),
      });
    }
  });
  return out;
}

/**
 * The sum of the workers' figures, a spread conference counted once, sibling links and the
 * copies of tracks they carry not at all (the media counters count every packet a worker sent).
 */
export function mergedStats(snapshots: readonly WorkerSnapshot[]): FocusStats {
  const total = sumStats(snapshots.map((s) => s.stats));
  const keys = new Set<string>();
  for (const s of snapshots) {
    for (const c of s.links) {
      keys.add(conferenceKeyString(c.conference));
      for (const l of c.links.filter((x) => x.sibling)) {
        total.participants--;
        total.subscriptions -= l.tracksOut;
      }
    }
    for (const c of s.dump)
      total.publishedTracks -= c.publications.filter((p) => p.viaSibling).length;
  }
  total.conferences = keys.size;
  return total;
}
