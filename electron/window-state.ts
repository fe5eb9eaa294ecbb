import type { Rectangle } from 'electron';
import type { WindowState } from '../main/settings/schema.js';

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 820, maximized: false };

/**
 * Where to open the window: the remembered bounds when they still fit on one of the displays (a monitor may
 * have been unplugged since), else the remembered size centred by Electron.
 */
export function restoreBounds(saved: WindowState | undefined, displays: Rectangle[]): { x?: number; y?: number; width: number; height: number } {
  const s = saved ?? DEFAULT_WINDOW;
  const size = { width: s.width, height: s.height };
  if (s.x === undefined || s.y === undefined) return size;
  const visible = displays.some((d) => s.x! >= d.x - 50 && s.y! >= d.y - 50 && s.x! + 100 <= d.x + d.width && s.y! + 100 <= d.y + d.height);
  return visible ? { x: s.x, y: s.y, ...size } : size;
}

/** What to remember: the normal (not maximised) bounds, and whether it was maximised. */
export function stateToSave(normalBounds: Rectangle, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.max(400, Math.round(normalBounds.width)),
    height: Math.max(300, Math.round(normalBounds.height)),
    maximized,
  };
}
