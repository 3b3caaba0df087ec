// One Chromium per test file (launched through playwright-core), one browser context per
// participant, and screenshots of every open page into test-results/ when a test fails.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { browserTestDefaults } from "./defaults.ts";
import { recordPeerConnections } from "./peerConnections.ts";

export interface BrowserSession {
  /** Opens a new page in its own context (its own session storage, devices, permissions). */
  newPage(name: string): Promise<Page>;
  /** Pages opened in the current test, by name. */
  pages(): ReadonlyMap<string, Page>;
  /** Console lines of the named page (kept for failure reports). */
  consoleOf(name: string): string[];
}

function fileSafe(text: string): string {
  return text.replace(/[^a-zA-Z0-9._-]+/g, "-").slice(0, 120);
}

/** Registers the hooks of a browser test file and returns how to open pages. */
export function useBrowserSession(fileName: string): BrowserSession {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pages = new Map<string, Page>();
  const consoles = new Map<string, string[]>();

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: browserTestDefaults.chromiumPath,
      args: [...browserTestDefaults.chromiumArgs],
    });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail" || browserTestDefaults.screenshotsAlways) {
      mkdirSync(browserTestDefaults.resultsDir, { recursive: true });
      for (const [name, page] of pages) {
        const base = join(
          browserTestDefaults.resultsDir,
          `${fileSafe(fileName)}--${fileSafe(ctx.task.name)}--${fileSafe(name)}`,
        );
        await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
        writeFileSync(`${base}.console.txt`, (consoles.get(name) ?? []).join("\n"));
      }
    }
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
    pages.clear();
    consoles.clear();
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    async newPage(name) {
      if (browser === undefined) throw new Error("the browser is not running");
      const context = await browser.newContext({ viewport: browserTestDefaults.viewport });
      contexts.push(context);
      await recordPeerConnections(context);
      const page = await context.newPage();
      const lines: string[] = [];
      consoles.set(name, lines);
      page.on("console", (m) => lines.push(`${m.type()}: ${m.text()}`));
      page.on("pageerror", (e) => lines.push(`pageerror: ${e.message}`));
      pages.set(name, page);
      return page;
    },
    pages: () => pages,
    consoleOf: (name) => consoles.get(name) ?? [],
  };
}
