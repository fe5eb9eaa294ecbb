import type { TrainingEvent } from '../../protocol/training.js';
import type { SaveFilePort } from '../save-file.js';
import type { ApiCredentials } from './pandorabots-client.js';

/**
 * What the workspace needs from the Studio it serves (main/studio.ts provides it): where the workspace is, which
 * Platform Studio is connected to, the conversation names it knows, a place to keep a remote Platform's API
 * credentials (Studio's settings: they never reach the renderer), the event stream, and the save dialog where
 * there is one (Electron).
 */
export interface TrainingHost {
  workspaceDir(): string;
  /** The Platform Studio is connected to, once known; `embedded` when it is Studio's own local one. */
  platform(): { url: string; embedded: boolean } | undefined;
  conversationName(conversationId: string): string | undefined;
  savedCredentials(platformUrl: string): ApiCredentials | undefined;
  saveCredentials(platformUrl: string, credentials: ApiCredentials): void;
  emit(event: TrainingEvent): void;
  saveFile?: SaveFilePort;
}
