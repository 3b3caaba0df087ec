// Typed events over node:events. Listener exceptions are caught and reported, so that one
// faulty listener cannot break the object that emits.
import { EventEmitter } from "node:events";

// biome-ignore lint/suspicious/noExplicitAny: event argument tuples are heterogeneous
export type EventMap = Record<string, any[]>;

export class TypedEmitter<E extends EventMap> {
  readonly #ee = new EventEmitter();
  #onListenerError: (event: string, err: unknown) => void = () => {};

  constructor() {
    this.#ee.setMaxListeners(0);
  }

  /** Where exceptions thrown by listeners go (default: dropped). */
  setListenerErrorHandler(fn: (event: string, err: unknown) => void): void {
    this.#onListenerError = fn;
  }

  on<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.on(event, fn as (...args: unknown[]) => void);
    return this;
  }

  once<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.once(event, fn as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.off(event, fn as (...args: unknown[]) => void);
    return this;
  }

  removeAllListeners(): void {
    this.#ee.removeAllListeners();
  }

  /** Emits to every listener; a listener that throws is reported and the others still run. */
  emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    for (const fn of this.#ee.listeners(event)) {
      try {
        (fn as (...a: unknown[]) => void)(...args);
      } catch (err) {
        this.#onListenerError(event, err);
      }
    }
  }
}
