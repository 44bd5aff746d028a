/**
 * The simulation kernel, after SimPy's small core: a clock (`now`), events scheduled at a time or
 * after a delay, `step()` to process the next one, `run()` until the queue is empty, a time limit
 * or `stop()`. Everything else (cores, postboxes, collectives, the host) is a client that
 * schedules events and is called back with them.
 *
 * Events are plain integers (kind, a, b) handed to one handler, so scheduling allocates nothing;
 * ties at the same time are processed in the order they were scheduled (the queue's sequence
 * number), which is what makes whole runs deterministic.
 *
 * An event scheduled before `now` would break causality (a core could see state before it was
 * simulated up to that time): that is an assertion that stays on in production, not a warning.
 */
import { EventQueue } from "./event-queue.js";

/** Called with each event as the kernel processes it; `kernel.now` is the event's time. */
export type EventHandler = (kind: number, a: number, b: number) => void;

/** An event was scheduled in the past: a bug in a kernel client, never a user error. */
export class CausalityError extends Error {
  override readonly name = "CausalityError";
}

export class Kernel {
  /** simulated time of the event being (or last) processed */
  now = 0;
  /** events processed so far */
  processed = 0;
  private readonly queue = new EventQueue();
  private stopped = false;
  private handler: EventHandler = () => {};

  /** Set the function that processes events (once, before run). */
  onEvent(handler: EventHandler): void {
    this.handler = handler;
  }

  /** Schedule an event at absolute time `time` (not before `now`). */
  at(time: number, kind: number, a = 0, b = 0): void {
    if (!(time >= this.now)) throw new CausalityError(`event of kind ${kind} for ${a} scheduled at ${time}, before now (${this.now})`);
    this.queue.push(time, kind, a, b);
  }

  /** Schedule an event `delay` (>= 0) after now. */
  after(delay: number, kind: number, a = 0, b = 0): void {
    this.at(this.now + delay, kind, a, b);
  }

  /** Time of the next event, Infinity when none is scheduled. */
  nextTime(): number {
    return this.queue.peekTime();
  }

  /** Events waiting to be processed. */
  get pending(): number {
    return this.queue.size;
  }

  /** Process the next event; false when there was none. */
  step(): boolean {
    const q = this.queue;
    if (!q.pop()) return false;
    this.now = q.time;
    this.processed++;
    this.handler(q.kind, q.a, q.b);
    return true;
  }

  /** Process events until none is left, the next one is after `until`, or a client calls stop(). */
  run(until = Infinity): void {
    this.stopped = false;
    while (!this.stopped && this.queue.peekTime() <= until && this.step()) {
      // the handler does the work
    }
  }

  /**
   * Process at most `maxEvents` events (or until none is left or a client calls stop()); true when
   * the run is over: nothing left to do, or stopped. A caller that runs a simulation in slices
   * (to let a signal or a progress line in between) calls this repeatedly: the events processed,
   * and so the run, are exactly those of one run().
   */
  runFor(maxEvents: number): boolean {
    this.stopped = false;
    let n = 0;
    while (n < maxEvents && !this.stopped && this.step()) n++;
    return this.stopped || this.queue.size === 0;
  }

  /** End run() after the current event (e.g. the run failed). */
  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
