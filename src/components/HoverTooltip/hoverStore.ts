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
  /** Held in place by a click, so its data links can be clicked; the pointer no longer moves it. */
  readonly pinned?: boolean;
}

/** What the store needs of a uPlot instance to place the tooltip. */
export interface CursorSource {
  readonly over: HTMLElement;
  readonly cursor: { left?: number; top?: number };
}

export interface HoverStore {
  get(): Hover;
  subscribe(listener: () => void): () => void;
  /** The panel's root element, for positions relative to it. */
  attach(root: HTMLElement | null): void;
  /** The lane under the pointer: the lanes' cursors are synced, only that lane's events place the tooltip. */
  enterLane(lane: string): void;
  /** Is the pointer in this lane (and so in this panel)? Only then does a cursor move go to other panels. */
  isActive(lane: string): boolean;
  /** A lane's cursor moved (time null: it left the plot). */
  cursorMoved(lane: string, time: number | null, source: CursorSource): void;
  /** Another panel's hover (the dashboard's shared tooltip): show the tooltip where that plot's cursor now is. */
  showRemote(time: number, source: CursorSource): void;
  /** The pointer left the panel. */
  leave(): void;
  /** A click in a lane: pins the tooltip where it is, or lets a pinned one go. */
  togglePin(): void;
  /** Lets a pinned tooltip go (Escape); nothing otherwise. */
  unpin(): void;
  clear(): void;
}

const NOWHERE: Hover = { time: null, x: 0, y: 0 };

/** The cursor's position relative to the panel's root. */
function position(root: HTMLElement, source: CursorSource): { x: number; y: number } {
  const over = source.over.getBoundingClientRect();
  const panel = root.getBoundingClientRect();
  return { x: over.left - panel.left + (source.cursor.left ?? 0), y: over.top - panel.top + (source.cursor.top ?? 0) };
}

export function createHoverStore(): HoverStore {
  let state: Hover = NOWHERE;
  let root: HTMLElement | null = null;
  let activeLane: string | null = null;
  const listeners = new Set<() => void>();
  const set = (next: Hover) => {
    if (next.time === state.time && next.x === state.x && next.y === state.y && next.pinned === state.pinned) {
      return;
    }
    state = next;
    listeners.forEach((l) => l());
  };
  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attach(el) {
      root = el;
    },
    enterLane(lane) {
      activeLane = lane;
    },
    isActive(lane) {
      return lane === activeLane;
    },
    cursorMoved(lane, time, source) {
      if (lane !== activeLane || state.pinned) {
        return;
      }
      if (time === null || !root) {
        set(NOWHERE);
        return;
      }
      set({ time, ...position(root, source) });
    },
    showRemote(time, source) {
      if (activeLane === null && root && !state.pinned) {
        set({ time, ...position(root, source) });
      }
    },
    leave() {
      activeLane = null;
      if (!state.pinned) {
        set(NOWHERE);
      }
    },
    togglePin() {
      if (state.pinned) {
        set(NOWHERE);
      } else if (state.time !== null) {
        set({ ...state, pinned: true });
      }
    },
    unpin() {
      if (state.pinned) {
        set(NOWHERE);
      }
    },
    clear() {
      if (!state.pinned) {
        set(NOWHERE);
      }
    },
  };
}

/** A document keydown listener: Escape lets a pinned tooltip go, as it closes Grafana's own pinned tooltips. */
export function releaseOnEscape(store: HoverStore): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key === 'Escape') {
      store.unpin();
    }
  };
}
