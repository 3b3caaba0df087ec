// A Janus API session over HTTP long-poll: requests are POSTed, asynchronous replies
// (plugin events with their JSEP) come back through one long-poll loop per session and are
// matched to their request by transaction id.
import { randomUUID } from "node:crypto";

export interface JanusJsep {
  type: "offer" | "answer";
  sdp: string;
  trickle?: boolean;
}

export interface PluginReply {
  data: Record<string, unknown>;
  jsep?: JanusJsep;
}

interface JanusMessage {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number };
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: JanusJsep;
}

interface Pending {
  resolve(m: JanusMessage): void;
  reject(e: Error): void;
}

export class JanusSession {
  readonly #base: string;
  readonly #pending = new Map<string, Pending>();
  #id = 0;
  #closed = false;
  #poll: Promise<void> | undefined;

  constructor(baseUrl: string) {
    this.#base = baseUrl;
  }

  static async create(baseUrl: string): Promise<JanusSession> {
    const s = new JanusSession(baseUrl);
    const r = await s.#post(baseUrl, { janus: "create" });
    s.#id = r.data?.id ?? 0;
    s.#poll = s.#pollLoop();
    return s;
  }

  async attach(plugin: string): Promise<number> {
    const r = await this.#post(`${this.#base}/${this.#id}`, { janus: "attach", plugin });
    return r.data?.id ?? 0;
  }

  /** Sends a plugin message; resolves with the plugin's (synchronous or asynchronous) reply. */
  async message(handle: number, body: object, jsep?: JanusJsep): Promise<PluginReply> {
    const transaction = randomUUID();
    const event = this.#expect(transaction);
    let reply: JanusMessage;
    try {
      const r = await this.#post(
        `${this.#base}/${this.#id}/${handle}`,
        { janus: "message", body, ...(jsep ? { jsep } : {}) },
        transaction,
      );
      reply = r.janus === "ack" ? await event : r;
    } finally {
      this.#pending.delete(transaction);
    }
    const data = reply.plugindata?.data ?? {};
    if (typeof data.error === "string") {
      throw new Error(`janus: ${data.error} (${String(data.error_code)})`);
    }
    return reply.jsep ? { data, jsep: reply.jsep } : { data };
  }

  async detach(handle: number): Promise<void> {
    await this.#post(`${this.#base}/${this.#id}/${handle}`, { janus: "detach" }).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#post(`${this.#base}/${this.#id}`, { janus: "destroy" }).catch(() => {});
    this.#closed = true;
    for (const p of this.#pending.values()) p.reject(new Error("janus session closed"));
    this.#pending.clear();
  }

  /** Registers interest in a transaction's asynchronous reply (before the request is sent). */
  #expect(transaction: string): Promise<JanusMessage> {
    const p = new Promise<JanusMessage>((resolve, reject) => {
      this.#pending.set(transaction, { resolve, reject });
    });
    p.catch(() => {}); // a synchronous reply leaves this promise unused
    return p;
  }

  async #post(url: string, body: object, transaction = randomUUID()): Promise<JanusMessage> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, transaction }),
    });
    const msg = (await res.json()) as JanusMessage;
    if (msg.janus === "error") {
      throw new Error(`janus: ${msg.error?.reason ?? "error"} (${msg.error?.code ?? "?"})`);
    }
    return msg;
  }

  async #pollLoop(): Promise<void> {
    while (!this.#closed) {
      let events: JanusMessage[] = [];
      try {
        const res = await fetch(`${this.#base}/${this.#id}?maxev=100&rid=${Date.now()}`);
        const body = (await res.json()) as JanusMessage | JanusMessage[];
        events = Array.isArray(body) ? body : [body];
      } catch {
        if (this.#closed) return;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const e of events) this.#dispatch(e);
    }
  }

  #dispatch(e: JanusMessage): void {
    if (e.janus !== "event" || !e.transaction) return;
    const p = this.#pending.get(e.transaction);
    if (!p) return; // events of no request of ours (e.g. other participants' joins)
    this.#pending.delete(e.transaction);
    p.resolve(e);
  }

  /** Waits for the poll loop to end (after close). */
  async ended(): Promise<void> {
    await this.#poll;
  }
}
