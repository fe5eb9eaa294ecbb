import { systemClock } from '../../protocol/clock.js';
import { mountStudio } from '../../renderer/src/mount.js';
import { GeneratedStudio } from './generated-studio.js';

/**
 * The benchmark page: the real renderer (mountStudio, the real App) over an in-page Studio API fed with generated
 * conversations. bench/studio.ts drives it in Chromium and reads `window.studioBench`.
 */

const params = new URLSearchParams(location.search);
const count = Number(params.get('conversations') ?? 10_000);
const studio = new GeneratedStudio(count);
const quietNotifications = { permission: () => 'denied' as const, requestPermission: async () => 'denied' as const, show: () => true };

const nextPaint = () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));

function waitForRows(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => document.querySelector('[role="option"]') !== null;
    if (done()) return resolve();
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
}

/** From mounting the app to the first frame painted with list rows, and the part after the list data arrived. */
async function firstRender(): Promise<{ fromMount: number; fromData: number }> {
  const started = performance.now();
  mountStudio(document.getElementById('root')!, { client: studio, clock: systemClock, notifications: quietNotifications });
  await waitForRows();
  const painted = await nextPaint();
  return { fromMount: painted - started, fromData: painted - (studio.listAnsweredAt ?? started) };
}

/** Streams `rate` user messages a second for `durationMs` while recording every frame's duration. */
async function stream(rate: number, durationMs: number) {
  const open = document.querySelector<HTMLElement>('[role="option"]');
  open?.click();
  await nextPaint();
  const openId = open?.id.replace(/^conversation-/, '');

  const frames: number[] = [];
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  try {
    observer.observe({ type: 'longtask', buffered: false });
  } catch {
    // Long-task timing is a Chromium extra; frames are the measure that counts.
  }
  let sent = 0;
  const start = performance.now();
  let last = start;
  let running = true;
  const onFrame = (t: number) => {
    frames.push(t - last);
    last = t;
    if (running) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame((t) => {
    last = t;
    requestAnimationFrame(onFrame);
  });
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(Math.floor(((performance.now() - start) / 1000) * rate), Math.floor((durationMs / 1000) * rate));
      while (sent < due) {
        studio.pushUserMessage(openId);
        sent += 1;
      }
      if (performance.now() - start >= durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, 4);
  });
  await nextPaint();
  running = false;
  observer.disconnect();
  return { sent, seconds: (performance.now() - start) / 1000, frames, longTasks, rows: document.querySelectorAll('[role="option"]').length };
}

declare global {
  interface Window {
    studioBench: { firstRender: typeof firstRender; stream: typeof stream; count: number };
  }
}

window.studioBench = { firstRender, stream, count };
