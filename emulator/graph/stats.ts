// Request accounting for the Graph side: counts by route and status, and a bounded log, so tests can assert
// how many pages a mirror read.
export interface GraphRequestLogEntry {
  seq: number;
  method: string;
  path: string;
  query: string;
  route: string;
  status: number;
  clientId?: string;
}

export class GraphStats {
  private log: GraphRequestLogEntry[] = [];
  private seq = 0;
  byRoute: Record<string, number> = {};
  byStatus: Record<string, number> = {};
  tokenRequests = 0;

  constructor(private readonly limit = 20_000) {}

  record(e: Omit<GraphRequestLogEntry, "seq">): void {
    const entry = { seq: ++this.seq, ...e };
    this.byRoute[e.route] = (this.byRoute[e.route] ?? 0) + 1;
    this.byStatus[String(e.status)] = (this.byStatus[String(e.status)] ?? 0) + 1;
    this.log.push(entry);
    if (this.log.length > this.limit) this.log.splice(0, this.log.length - this.limit);
  }

  snapshot(): { total: number; byRoute: Record<string, number>; byStatus: Record<string, number>; tokenRequests: number } {
    const total = Object.values(this.byStatus).reduce((a, b) => a + b, 0);
    return { total, byRoute: { ...this.byRoute }, byStatus: { ...this.byStatus }, tokenRequests: this.tokenRequests };
  }

  requests(): GraphRequestLogEntry[] {
    return [...this.log];
  }

  reset(): void {
    this.log = [];
    this.byRoute = {};
    this.byStatus = {};
    this.tokenRequests = 0;
  }
}
