// A V8 CPU profile of the measurement window only (start-up, joins and teardown left out):
// the focus host starts it when the runner reads its counters at the start of the window
// and writes it when they are read at the end.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

export class WindowProfiler {
  readonly #dir: string;
  #session: Session | undefined;
  #done = false;

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  /** Starts the profile on the first call, writes it on the second; later calls do nothing. */
  async toggle(): Promise<void> {
    if (this.#done) return;
    if (!this.#session) {
      const s = new Session();
      s.connect();
      await s.post("Profiler.enable");
      await s.post("Profiler.setSamplingInterval", { interval: 500 });
      await s.post("Profiler.start");
      this.#session = s;
      return;
    }
    this.#done = true;
    const { profile } = await this.#session.post("Profiler.stop");
    writeFileSync(`${this.#dir}/window-${process.pid}.cpuprofile`, JSON.stringify(profile));
    this.#session.disconnect();
  }
}
