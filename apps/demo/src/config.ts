import { demoDefaults } from "./defaults.ts";
import type { FocusChoice } from "./ui/lobbyView.ts";

/** What the server hosting the demo says about its environment (/config.json). */
export interface DemoConfig {
  homeserverUrl: string;
  serverName?: string;
  /** Foci of the local stack, offered as the preferred focus in the lobby. */
  foci: FocusChoice[];
}

/** Reads /config.json next to the page; falls back to the defaults when it is absent. */
export async function loadConfig(): Promise<DemoConfig> {
  try {
    const res = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
    if (res.ok) {
      const body = (await res.json()) as Partial<DemoConfig>;
      if (typeof body.homeserverUrl === "string" && body.homeserverUrl !== "") {
        const foci = Array.isArray(body.foci) ? body.foci : [];
        return { homeserverUrl: body.homeserverUrl, serverName: body.serverName, foci };
      }
    }
  } catch {
    // No config: use the defaults.
  }
  return { homeserverUrl: demoDefaults.homeserverUrl, foci: [] };
}
