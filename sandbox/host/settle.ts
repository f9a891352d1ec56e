import type { DrawProbe } from './drawProbe';

export function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
}

export interface Settled {
  /** performance.now() in the first animation frame after the last DOM change or canvas drawing call. */
  readonly paintedAt: number;
  /** performance.now() of the last DOM mutation seen (or of the call, when there was none). */
  readonly lastMutationAt: number;
  readonly timedOut: boolean;
}

/**
 * Waits until `root` has stopped changing: no DOM mutation and no canvas drawing for `quietFrames`
 * animation frames in a row. Panels lay out in effects, measure, and draw in later frames; a fixed
 * delay would be either flaky or slow.
 */
export async function waitForSettled(
  root: Node,
  probe: DrawProbe,
  { quietFrames = 3, timeoutMs = 15_000 }: { quietFrames?: number; timeoutMs?: number } = {}
): Promise<Settled> {
  let mutatedAt = performance.now();
  const observer = new MutationObserver(() => {
    mutatedAt = performance.now();
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  const started = performance.now();
  const frames: number[] = [];
  let quiet = 0;
  let drawCount = probe.count;
  try {
    while (quiet < quietFrames) {
      const now = await nextFrame();
      frames.push(now);
      const changed = probe.count !== drawCount || mutatedAt > (frames[frames.length - 2] ?? started);
      drawCount = probe.count;
      quiet = changed ? 0 : quiet + 1;
      if (now - started > timeoutMs) {
        return { paintedAt: now, lastMutationAt: mutatedAt, timedOut: true };
      }
    }
  } finally {
    observer.disconnect();
  }
  const lastChange = Math.max(probe.lastAt, mutatedAt);
  return {
    paintedAt: frames.find((t) => t > lastChange) ?? frames[frames.length - 1],
    lastMutationAt: mutatedAt,
    timedOut: false,
  };
}
