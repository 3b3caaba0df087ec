// Measures the audio level of each remote stream (Web Audio) and decides who is speaking.
// The loudest stream above a threshold becomes the speaker once it has stayed the loudest for a
// hold time, so that the large tile does not flicker between people.
import { demoDefaults } from "../defaults.ts";

interface Meter {
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
  trackId: string;
  level: number;
}

export class AudioLevels {
  private readonly meters = new Map<string, Meter>();
  private context: AudioContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private candidate: { id: string; since: number } | undefined;
  private speakerId: string | undefined;
  private readonly onChange: () => void;
  private readonly buffer = new Float32Array(1024);

  constructor(onChange: () => void) {
    this.onChange = onChange;
  }

  /** Starts (or updates) metering a stream; a stream without audio is left out. */
  watch(id: string, stream: MediaStream): void {
    const track = stream.getAudioTracks()[0];
    const existing = this.meters.get(id);
    if (existing && existing.trackId === track?.id) return;
    this.unwatch(id);
    if (track === undefined) return;
    this.context ??= new AudioContext();
    const source = this.context.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.context.createAnalyser();
    analyser.fftSize = this.buffer.length;
    source.connect(analyser);
    this.meters.set(id, { source, analyser, trackId: track.id, level: 0 });
    this.timer ??= setInterval(() => this.sample(), demoDefaults.audioLevelIntervalMs);
  }

  unwatch(id: string): void {
    const m = this.meters.get(id);
    if (m === undefined) return;
    m.source.disconnect();
    this.meters.delete(id);
    if (this.speakerId === id) this.speakerId = undefined;
  }

  level(id: string): number {
    return this.meters.get(id)?.level ?? 0;
  }

  /** The current speaker's stream id, if anyone is speaking. */
  get speaker(): string | undefined {
    return this.speakerId;
  }

  close(): void {
    for (const id of [...this.meters.keys()]) this.unwatch(id);
    if (this.timer !== undefined) clearInterval(this.timer);
    void this.context?.close();
  }

  private sample(): void {
    void this.context?.resume();
    let loudest: { id: string; level: number } | undefined;
    for (const [id, m] of this.meters) {
      m.analyser.getFloatTimeDomainData(this.buffer);
      let sum = 0;
      for (const v of this.buffer) sum += v * v;
      m.level = Math.sqrt(sum / this.buffer.length);
      if (m.level >= demoDefaults.speakingThreshold && (!loudest || m.level > loudest.level)) {
        loudest = { id, level: m.level };
      }
    }
    const now = performance.now();
    if (loudest === undefined || loudest.id === this.speakerId) {
      this.candidate = undefined;
    } else if (this.candidate?.id !== loudest.id) {
      this.candidate = { id: loudest.id, since: now };
    } else if (now - this.candidate.since >= demoDefaults.speakerHoldMs) {
      this.speakerId = loudest.id;
      this.candidate = undefined;
    }
    this.onChange();
  }
}
