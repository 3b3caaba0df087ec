// m.call.connect_to_focus arrives over a participant's data channel, so inside a worker, and
// the conference answers it synchronously (ack or M_FORBIDDEN). The verdict belongs to the
// main thread (LinkCoordinator reads the room state there), so the worker asks the main thread
// and blocks on a shared buffer until the answer is written (Atomics.wait), at most a timeout.
// Such requests are rare (cascading set-up), and the main thread never waits for a worker, so
// the short block cannot deadlock.

const HEADER = 3; // Int32 slots: [0] answered id, [1] answer length in bytes, [2] spare
const TEXT_BYTES = 1024;

/** The shared buffer of one worker. */
export function newVerdictBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER * 4 + TEXT_BYTES);
}

/** Worker side: asks and waits. */
export class LinkVerdictAsker {
  readonly #state: Int32Array;
  readonly #text: Uint8Array;
  readonly #timeoutMs: number;
  #id = 0;

  constructor(buffer: SharedArrayBuffer, timeoutMs: number) {
    this.#state = new Int32Array(buffer, 0, HEADER);
    this.#text = new Uint8Array(buffer, HEADER * 4, TEXT_BYTES);
    this.#timeoutMs = timeoutMs;
  }

  /**
   * `post` sends question `id` to the main thread. Returns "" = accepted, else why not (also
   * when the main thread did not answer in time).
   */
  ask(post: (id: number) => void): string {
    const id = ++this.#id;
    post(id);
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const answered = Atomics.load(this.#state, 0);
      if (answered === id) {
        const length = Atomics.load(this.#state, 1);
        return new TextDecoder().decode(this.#text.slice(0, length));
      }
      const left = deadline - Date.now();
      if (left <= 0) return "the focus could not decide on the link in time";
      Atomics.wait(this.#state, 0, answered, left);
    }
  }
}

/** Main-thread side: writes the verdict for question `id` and wakes the worker. */
export function answerVerdict(buffer: SharedArrayBuffer, id: number, verdict: string): void {
  const state = new Int32Array(buffer, 0, HEADER);
  const text = new Uint8Array(buffer, HEADER * 4, TEXT_BYTES);
  const { written } = new TextEncoder().encodeInto(verdict, text);
  Atomics.store(state, 1, written);
  Atomics.store(state, 0, id);
  Atomics.notify(state, 0);
}
