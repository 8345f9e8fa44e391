/**
 * FakeInferenceClient: an in-memory stand-in for an inference engine (no GPU, no LLM here) for
 * the unit tests of the job kinds. It records every call, counts the calls in flight, answers
 * with a function of the call, and can hold calls until the test releases them.
 */
import type { InferenceAnswer, InferenceCall, InferenceClient } from '../ports';

/** What the fake does with a call: an answer, or an Error to reject with (engine unreachable). */
export type FakeResponder = (call: InferenceCall) => InferenceAnswer | Error;

interface Held {
  readonly call: InferenceCall;
  readonly release: () => void;
}

export class FakeInferenceClient implements InferenceClient {
  readonly calls: InferenceCall[] = [];
  inFlight = 0;
  peakInFlight = 0;
  /** When true, calls wait until released (`releaseAll`, `releaseWhere`). */
  hold = false;
  private held: Held[] = [];
  private watchers: Array<{ ready: () => boolean; resolve: () => void }> = [];

  constructor(private readonly respond: FakeResponder = chatAnswer(() => 'ok')) {}

  async call(call: InferenceCall, signal?: AbortSignal): Promise<InferenceAnswer> {
    this.calls.push(call);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      this.notify();
      if (this.hold) await this.waitForRelease(call, signal);
      else await Promise.resolve(); // answer on a later turn, as any engine does
      const result = this.respond(call);
      if (result instanceof Error) throw result;
      return result;
    } finally {
      this.inFlight--;
      this.notify();
    }
  }

  /** Resolves once `ready()` holds (checked after every call starts or ends). */
  when(ready: (client: this) => boolean): Promise<void> {
    if (ready(this)) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ ready: () => ready(this), resolve }));
  }

  /** The calls being held. */
  heldCalls(): InferenceCall[] {
    return this.held.map((h) => h.call);
  }

  /** Releases the held calls that `match` selects (all by default). */
  releaseWhere(match: (call: InferenceCall) => boolean = () => true): number {
    const [go, stay] = [
      this.held.filter((h) => match(h.call)),
      this.held.filter((h) => !match(h.call)),
    ];
    this.held = stay;
    go.forEach((h) => h.release());
    return go.length;
  }

  releaseAll(): number {
    this.hold = false;
    return this.releaseWhere();
  }

  private waitForRelease(call: InferenceCall, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry: Held = { call, release: resolve };
      this.held.push(entry);
      signal?.addEventListener('abort', () => {
        this.held = this.held.filter((h) => h !== entry);
        reject(new Error('aborted'));
      });
    });
  }

  private notify(): void {
    const ready = this.watchers.filter((w) => w.ready());
    this.watchers = this.watchers.filter((w) => !ready.includes(w));
    ready.forEach((w) => w.resolve());
  }
}

/** The text of a call: its prompt, or its last message's content. */
export function promptOf(call: InferenceCall): string {
  const body = call.body as { prompt?: string; messages?: Array<{ content: string }> };
  return body.prompt ?? body.messages?.[body.messages.length - 1]?.content ?? '';
}

/** A responder answering 200 with `text(call)` in the call's endpoint format and `tokens` used. */
export function chatAnswer(text: (call: InferenceCall) => string, tokens = 10): FakeResponder {
  return (call) => ({
    status: 200,
    requestId: `r-${JSON.stringify(call.body.seed ?? 0)}`,
    body: {
      choices: [
        call.endpoint === '/v1/chat/completions'
          ? { message: { role: 'assistant', content: text(call) } }
          : { text: text(call) },
      ],
      usage: { total_tokens: tokens },
    },
  });
}
