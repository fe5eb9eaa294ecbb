import { z } from 'zod';
import { BotName, ConversationId } from './conversation.js';

/**
 * A designer reply that reached the end user but did not become a category in the workspace's
 * `pand_livetraining.aiml` (the folder is read-only, the file is in the way, the category is invalid...). Studio
 * keeps it until a retry saves it, so the designer can see it and try again.
 */
export const CaptureFailure = z.object({
  conversationId: ConversationId,
  /** The reply's sequence number in the conversation. */
  seq: z.number().int().nonnegative(),
  /** Unknown when even the conversation's bot could not be found. */
  bot: BotName.optional(),
  /** What went wrong, in words for the designer (no stack). */
  reason: z.string(),
  /** The file the category was meant for. */
  file: z.string().optional(),
  at: z.number(),
});
export type CaptureFailure = z.infer<typeof CaptureFailure>;

const replyRef = z.object({ conversationId: ConversationId, seq: z.number().int().nonnegative() });

export const captureFailureMethods = {
  /** The replies whose capture failed and was not retried successfully since. */
  'capture.failures': { args: z.object({}), result: z.object({ failures: z.array(CaptureFailure) }) },
  /** Runs the capture of that reply again; `saved` false means it failed again (the failure says why). */
  'capture.retry': { args: replyRef, result: z.object({ saved: z.boolean(), failure: CaptureFailure.optional() }) },
} as const;

export const CaptureFailureEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('capture.failed'), failure: CaptureFailure }),
  /** A reply whose capture had failed is in the file now. */
  z.object({ type: z.literal('capture.saved'), conversationId: ConversationId, seq: z.number().int().nonnegative() }),
]);
export type CaptureFailureEvent = z.infer<typeof CaptureFailureEvent>;
