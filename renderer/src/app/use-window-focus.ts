import { useSyncExternalStore } from 'react';

const subscribe = (onChange: () => void) => {
  window.addEventListener('focus', onChange);
  window.addEventListener('blur', onChange);
  document.addEventListener('visibilitychange', onChange);
  return () => {
    window.removeEventListener('focus', onChange);
    window.removeEventListener('blur', onChange);
    document.removeEventListener('visibilitychange', onChange);
  };
};

/** Whether the designer is looking at Studio right now (the window has focus and the page is visible). */
export function isWindowFocused(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export function useWindowFocused(): boolean {
  return useSyncExternalStore(subscribe, isWindowFocused);
}
