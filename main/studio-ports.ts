import type { PlatformLinkOptions } from './platform-link/link.js';

/**
 * What the compositions (electron/, launch.ts, the e2e stack) plug into a Studio, apart from the Studio itself, so
 * that the services implementing them (main/embedded-platform.ts, main/workspace/) and Studio depend on these
 * interfaces instead of on each other.
 */

/** Studio's own local Platform, started on demand (main/embedded-platform.ts implements it). */
export interface EmbeddedPlatformPort {
  /** Starts the Platform if needed; resolves with its URL and this designer's token. */
  start(): Promise<{ url: string; token: string }>;
  /** The remembered token was refused (the Platform's data was reset): create a new local designer. */
  renewToken(): Promise<{ url: string; token: string }>;
  close(): Promise<void>;
}

/** The link timings a composition may tune (the e2e stack shortens them). */
export type LinkTuning = Pick<PlatformLinkOptions, 'backoff' | 'heartbeatMs' | 'deadPeerMs' | 'requestTimeoutMs' | 'mutatingTimeoutMs'>;
