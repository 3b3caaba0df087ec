// Hash routes: `#/` (home) and `#/room/<alias-or-id>` (a call; shareable).

export type Route = { kind: "home" } | { kind: "room"; roomIdOrAlias: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/room\/(.+)$/.exec(hash);
  if (match?.[1] !== undefined) {
    try {
      return { kind: "room", roomIdOrAlias: decodeURIComponent(match[1]) };
    } catch {
      return { kind: "home" };
    }
  }
  return { kind: "home" };
}

export function roomHash(roomIdOrAlias: string): string {
  return `#/room/${encodeURIComponent(roomIdOrAlias)}`;
}

/** A full link to a room's call, to share with others. */
export function roomLink(roomIdOrAlias: string): string {
  const url = new URL(window.location.href);
  url.hash = roomHash(roomIdOrAlias);
  return url.toString();
}

/** Accepts a room id, an alias or a pasted link and returns the room id or alias. */
export function roomFromInput(input: string): string {
  const trimmed = input.trim();
  const hashAt = trimmed.indexOf("#/room/");
  if (hashAt >= 0) {
    const route = parseRoute(trimmed.slice(hashAt));
    if (route.kind === "room") return route.roomIdOrAlias;
  }
  return trimmed;
}
