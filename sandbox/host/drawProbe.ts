/**
 * Counts drawing calls on every 2D canvas of the page and remembers when the last one happened.
 * The panel's uPlot lives inside the plugin bundle, out of the host's reach, so "the panel has
 * drawn" is observed here, on the canvas API both the panel and bare uPlot go through: the page is
 * ready, and a benchmark run is over, at the first frame after drawing stopped.
 */

export interface DrawProbe {
  /** Drawing calls seen so far. */
  readonly count: number;
  /** performance.now() of the latest drawing call, or -Infinity. */
  readonly lastAt: number;
}

const DRAW_METHODS = [
  'stroke',
  'fill',
  'fillRect',
  'strokeRect',
  'fillText',
  'strokeText',
  'drawImage',
  'putImageData',
] as const;

let installed: { count: number; lastAt: number } | undefined;

export function installDrawProbe(win: Window & typeof globalThis): DrawProbe {
  if (installed) {
    return installed;
  }
  const state = { count: 0, lastAt: -Infinity };
  const proto = win.CanvasRenderingContext2D.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of DRAW_METHODS) {
    const original = proto[method];
    proto[method] = function (this: unknown, ...args: unknown[]) {
      state.count++;
      state.lastAt = win.performance.now();
      return original.apply(this, args);
    };
  }
  installed = state;
  return state;
}
