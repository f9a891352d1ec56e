/**
 * Everything that goes wrong on the host page, in one list the page shows in its error box:
 * uncaught errors and rejections, a panel that throws while rendering, a plugin that cannot be
 * loaded, URL parameters that were rejected. Tests read the same box.
 */

export type HostErrorSource = 'page' | 'promise' | 'panel' | 'host' | 'params';

export interface HostError {
  readonly source: HostErrorSource;
  readonly message: string;
  /** A stack or further explanation, shown folded. */
  readonly detail?: string;
}

type Listener = (errors: readonly HostError[]) => void;

export class ErrorLog {
  private errors: HostError[] = [];
  private listeners = new Set<Listener>();

  add(source: HostErrorSource, error: unknown): void {
    this.errors = [...this.errors, { source, ...describeError(error) }];
    this.listeners.forEach((listener) => listener(this.errors));
  }

  list(): readonly HostError[] {
    return this.errors;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function describeError(error: unknown): { message: string; detail?: string } {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `\nCaused by: ${error.cause.stack ?? error.cause.message}` : '';
    return { message: error.message || error.name, detail: `${error.stack ?? ''}${cause}` || undefined };
  }
  if (typeof error === 'string') {
    return { message: error };
  }
  try {
    return { message: JSON.stringify(error) };
  } catch {
    return { message: String(error) };
  }
}

export const hostErrors = new ErrorLog();

/** Routes uncaught errors and unhandled rejections of the page into the log (they still reach the console). */
export function captureGlobalErrors(target: Window, log: ErrorLog = hostErrors): void {
  target.addEventListener('error', (event) => log.add('page', event.error ?? event.message));
  target.addEventListener('unhandledrejection', (event) => log.add('promise', event.reason));
}
