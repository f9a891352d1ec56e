/**
 * The little of Prometheus' HTTP API a backtest needs (/api/v1/query_range, /api/v1/series), with a timeout on
 * every request and errors a person can act on: which server, which query, what it said.
 */

export class BacktestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BacktestError';
  }
}

export interface RangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as Prometheus formats it] */
  values: Array<[number, string]>;
}

/** Prometheus answers at most this many points per series and query. */
export const MAX_POINTS_PER_QUERY = 11_000;

export class PrometheusApi {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    /** What to call the server in messages ("Prometheus at URL", "the local Prometheus"). */
    private readonly name = `Prometheus at ${baseUrl}`
  ) {}

  private async get<T>(path: string, params: URLSearchParams, what: string): Promise<T> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        body: params,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new BacktestError(
          `${this.name} did not answer within ${this.timeoutMs / 1000} s (${what}). It may be overloaded: ` +
            'try a shorter window (--from), fewer services (--service) or a longer --timeout.'
        );
      }
      const why = e.cause?.code ?? e.cause?.message ?? e.message;
      throw new BacktestError(`cannot reach ${this.name}: ${why}. Is the URL right and the server up?`);
    }
    const text = await res.text();
    let body: { status?: string; data?: T; error?: string; errorType?: string };
    try {
      body = JSON.parse(text);
    } catch {
      throw new BacktestError(
        `${this.name} answered ${res.status} with something that is not Prometheus' API (${what}): ${text.slice(0, 200)}`
      );
    }
    if (body.status !== 'success' || body.data === undefined) {
      throw new BacktestError(
        `${this.name} refused ${what}: ${body.errorType ?? res.status}: ${body.error ?? text.slice(0, 200)}`
      );
    }
    return body.data;
  }

  async queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    const data = await this.get<{ resultType: string; result: RangeSeries[] }>(
      '/api/v1/query_range',
      new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) }),
      `the query ${abbreviate(expr)} from ${iso(start)} to ${iso(end)}`
    );
    return data.result;
  }

  /** How many series a selector matches between start and end. */
  async seriesCount(selector: string, start: number, end: number): Promise<number> {
    const data = await this.get<unknown[]>(
      '/api/v1/series',
      new URLSearchParams({ 'match[]': selector, start: String(start), end: String(end) }),
      `the series of ${selector}`
    );
    return data.length;
  }

  /** Throws a BacktestError unless the server answers as Prometheus. */
  async check(): Promise<void> {
    await this.get<unknown>('/api/v1/query', new URLSearchParams({ query: '1' }), 'a test query');
  }
}

export function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

function abbreviate(expr: string): string {
  const one = expr.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

/**
 * [from, to] cut into query ranges on the step grid, each with at most `maxPoints` points (and Prometheus' own
 * limit).
 */
export function chunks(from: number, to: number, step: number, maxPoints: number): Array<[number, number]> {
  const points = Math.max(1, Math.min(maxPoints, MAX_POINTS_PER_QUERY));
  const out: Array<[number, number]> = [];
  for (let start = from; start <= to; start += points * step) {
    out.push([start, Math.min(to, start + (points - 1) * step)]);
  }
  return out;
}
