import type { Outcome } from './soak-client.js';

/**
 * Tallies every call of the run and judges each against the rules: no 5xx but an
 * explicit SERVICE_UNAVAILABLE during a fault, never INTERNAL_SERVER_ERROR, no
 * transport failure except while a server is deliberately down.
 */
export interface FaultWindow {
  fault: string;
  startedAt: number;
  /** Open until the fault is over and the grace period for recovery has passed. */
  endsAt: number | null;
  /** Which servers this fault takes away (transport failures to them are expected). */
  serversDown?: string[];
  note?: string;
}

export interface Violation {
  at: number;
  op: string;
  server: string;
  requestId: string;
  what: string;
}

export class SoakRecorder {
  readonly startedAt = Date.now();
  requests = 0;
  readonly byOp = new Map<string, number>();
  readonly byCode = new Map<string, number>();
  readonly byStatus = new Map<number, number>();
  readonly transport = new Map<string, number>();
  readonly violations: Violation[] = [];
  readonly faults: FaultWindow[] = [];
  /** Latencies (ms) of successful calls, for the summary's percentiles. */
  private readonly latencies: number[] = [];

  openFault(fault: string, extra: Partial<FaultWindow> = {}): FaultWindow {
    const window: FaultWindow = { fault, startedAt: Date.now(), endsAt: null, ...extra };
    this.faults.push(window);
    return window;
  }

  private inFault(at: number, server?: string): boolean {
    return this.faults.some((f) => at >= f.startedAt && (f.endsAt === null || at <= f.endsAt) && (server === undefined || f.serversDown?.includes(server)));
  }

  /** A fault window covering this call (its start or its end): a call spanning a fault's start counts. */
  private duringFault(o: Outcome, server?: string): boolean {
    return this.inFault(o.startedAt, server) || this.inFault(o.startedAt + o.ms, server);
  }

  record(o: Outcome): void {
    this.requests++;
    inc(this.byOp, o.op);
    inc(this.byStatus, o.status);
    for (const code of new Set(o.codes)) inc(this.byCode, code);
    if (o.transport) inc(this.transport, o.transport);
    if (o.status === 200 && o.codes.length === 0) this.latencies.push(o.ms);

    const violation = (what: string) => this.violations.push({ at: o.startedAt, op: o.op, server: o.server, requestId: o.requestId, what });
    if (o.codes.includes('INTERNAL_SERVER_ERROR')) violation(`INTERNAL_SERVER_ERROR (HTTP ${o.status})`);
    if (o.status >= 500) {
      const explicit = o.codes.length > 0 && o.codes.every((c) => c === 'SERVICE_UNAVAILABLE');
      if (!explicit) violation(`HTTP ${o.status} with codes [${o.codes.join(', ')}]`);
      else if (!this.duringFault(o)) violation(`HTTP ${o.status} SERVICE_UNAVAILABLE outside any fault`);
    } else if (o.codes.includes('SERVICE_UNAVAILABLE') && !this.duringFault(o)) {
      violation('SERVICE_UNAVAILABLE outside any fault');
    }
    if (o.transport && !this.duringFault(o, o.server)) violation(`no response (${o.transport}) while ${o.server} should have been up`);
  }

  /** A rule broken that only the driver can see (e.g. a stale edit accepted). */
  flag(o: Pick<Outcome, 'startedAt' | 'op' | 'server' | 'requestId'>, what: string): void {
    this.violations.push({ at: o.startedAt, op: o.op, server: o.server, requestId: o.requestId, what });
  }

  percentile(p: number): number {
    if (!this.latencies.length) return 0;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}

function inc<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
