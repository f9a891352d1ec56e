/**
 * The crosshair's position, kept outside React state: the cursor moves at 60 Hz, and only the tooltip
 * should re-render, not the lanes and their canvases.
 */
export interface Hover {
  /** The hovered time, or null when the pointer is not over a lane. */
  readonly time: number | null;
  /** Pointer position relative to the panel, in CSS px. */
  readonly x: number;
  readonly y: number;
}

export interface HoverStore {
  get(): Hover;
  set(next: Hover): void;
  subscribe(listener: () => void): () => void;
}

export function createHoverStore(): HoverStore {
  let state: Hover = { time: null, x: 0, y: 0 };
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(next) {
      if (next.time === state.time && next.x === state.x && next.y === state.y) {
        return;
      }
      state = next;
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
