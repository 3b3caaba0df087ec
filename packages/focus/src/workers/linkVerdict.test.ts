import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { answerVerdict, LinkVerdictAsker, newVerdictBuffer } from "./linkVerdict.ts";

describe("link verdicts across threads", () => {
  it("returns the verdict the main thread wrote for this question", () => {
    const buffer = newVerdictBuffer();
    const asker = new LinkVerdictAsker(buffer, 1000);
    expect(asker.ask((id) => answerVerdict(buffer, id, ""))).toBe("");
    expect(asker.ask((id) => answerVerdict(buffer, id, "no member uses both foci"))).toBe(
      "no member uses both foci",
    );
  });

  it("refuses when no answer comes in time, and ignores a late answer to an older question", () => {
    const buffer = newVerdictBuffer();
    const asker = new LinkVerdictAsker(buffer, 30);
    let first = 0;
    expect(
      asker.ask((id) => {
        first = id;
      }),
    ).toMatch(/in time/);
    answerVerdict(buffer, first, "late");
    expect(asker.ask((id) => answerVerdict(buffer, id, "fresh"))).toBe("fresh");
  });

  it("blocks a worker thread until the main thread answers", async () => {
    const buffer = newVerdictBuffer();
    const module = new URL("./linkVerdict.ts", import.meta.url).href;
    const code = `
      const { parentPort, workerData } = require("node:worker_threads");
      import(${JSON.stringify(module)}).then(({ LinkVerdictAsker }) => {
        const asker = new LinkVerdictAsker(workerData, 5000);
        parentPort.postMessage(asker.ask((id) => parentPort.postMessage({ id })));
      });
    `;
    const worker = new Worker(code, { eval: true, workerData: buffer });
    const answers: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      worker.on("message", (m: unknown) => {
        if (typeof m === "object" && m !== null) {
          const { id } = m as { id: number };
          setTimeout(() => answerVerdict(buffer, id, "granted later"), 50);
        } else {
          answers.push(m);
          resolve();
        }
      });
    });
    await done;
    await worker.terminate();
    expect(answers).toEqual(["granted later"]);
  });
});
