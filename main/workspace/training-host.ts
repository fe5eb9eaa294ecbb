import type { TrainingEvent } from '../../protocol/training.js';
import type { Message } from '../../protocol/conversation.js';
import type { SaveFilePort } from '../save-file.js';
import type { LearnedRequester } from './bot-learning.js';
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
  /** The Platform's learned-category methods while the link is online (undefined while it is down). */
  learned?(): LearnedRequester | undefined;
  /** The messages of a conversation just before `beforeSeq`, oldest first (what a category was learned after). */
  messagesBefore?(conversationId: string, beforeSeq: number): Promise<Message[]>;
  /** The bots of the Platform Studio is connected to (each one's learned categories are mirrored). */
  bots?(): string[];
  /** The bot's setting "Review learned answers before the bot uses them", as the Platform last said. */
  reviewMode?(bot: string): boolean | undefined;
}
