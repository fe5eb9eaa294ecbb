/**
 * Time as a dependency. The Platform, Studio's services and the engine take a Clock instead of calling
 * Date.now() and setTimeout directly, so tests run the 15-minute inactivity timeout instantly and exactly.
 * (Not a wire contract, but it lives here because every layer, the renderer included, needs the same shape.)
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly __timer: unique symbol;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as ReturnType<typeof setTimeout>),
};
