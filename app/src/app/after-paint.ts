import { useEffect, useState } from 'react';

/**
 * #12 item 9: true once the browser has painted what `ready` shows: a frame, then a task. What waits
 * for it (the rest of the catalog, the identity, the service worker) is no part of the first paint.
 * A page hidden at start gets no frames, so a timer stands in for the frame.
 */
export function useAfterPaint(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!ready || painted) return;
    let task: ReturnType<typeof setTimeout> | undefined;
    const go = () => {
      task ??= setTimeout(() => setPainted(true));
    };
    const frame = requestAnimationFrame(go);
    const hidden = setTimeout(go, 500);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(hidden);
      clearTimeout(task);
    };
  }, [ready, painted]);
  return painted;
}
