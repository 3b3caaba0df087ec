// A small typed event emitter: `on` returns its own unsubscribe function, and a throwing
// listener is logged instead of breaking the emitter.

import type { Logger } from "../log.ts";

// biome-ignore lint/suspicious/noExplicitAny: listener maps hold functions of any arguments
export type ListenerMap<M> = { [K in keyof M]: (...args: any[]) => void };

export class Emitter<M extends ListenerMap<M>> {
  #listeners = new Map<keyof M, Set<M[keyof M]>>();
  #logger: Logger | undefined;

  constructor(logger?: Logger) {
    this.#logger = logger;
  }

  on<E extends keyof M>(event: E, listener: M[E]): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      this.#listeners.get(event)?.delete(listener);
    };
  }

  emit<E extends keyof M>(event: E, ...args: Parameters<M[E]>): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (e) {
        this.#logger?.error(`a listener of ${String(event)} threw`, e);
      }
    }
  }

  removeAll(): void {
    this.#listeners.clear();
  }
}
