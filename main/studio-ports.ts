import type { Message } from '../protocol/conversation.js';
import type { PlatformLinkOptions } from './platform-link/link.js';
import type { TrainingHost } from './workspace/training-host.js';

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

/** Learns from each designer reply (main/workspace/ implements it). */
export interface ReplyCapturePort {
  captureReply(reply: {
    bot: string;
    conversationId: string;
    /** The designer's reply as the Platform stored it. */
    message: Message;
    captureThat: boolean;
    workspaceDir: string;
    /** The messages just before `beforeSeq`, oldest first (what the reply answers). */
    messagesBefore: (beforeSeq: number) => Promise<Message[]>;
  }): Promise<void>;
  /** The workspace (main/workspace/) also serves the Training view: Studio hands it what it needs. */
  attach?(host: TrainingHost): void;
  close?(): void;
}

/** The link timings a composition may tune (the e2e stack shortens them). */
export type LinkTuning = Pick<PlatformLinkOptions, 'backoff' | 'heartbeatMs' | 'deadPeerMs' | 'requestTimeoutMs' | 'mutatingTimeoutMs'>;
