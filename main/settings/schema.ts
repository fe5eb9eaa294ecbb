import { z } from 'zod';
import { NotificationSettings, type StudioSettingsView } from '../../protocol/studio-api.js';

/** Where and how big the main window was, so Electron can put it back. */
export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

/**
 * Studio's settings: one schema for both stores (conf in Node, electron-store in Electron). The token is a
 * secret: it is stored here but never leaves the main process (see `settingsView`).
 */
export const StudioSettings = z.object({
  /** A remote Platform's base URL (http or https). Unset on first run. */
  platformUrl: z.string().url().optional(),
  /** The designer token for the remote Platform. */
  token: z.string().min(1).max(500).optional(),
  /** Use Studio's own embedded local Platform instead of a remote one. */
  embedded: z.boolean().default(false),
  /** The name to create the local designer with (the remote Platform names its designers itself). */
  designerName: z.string().max(80).optional(),
  notifications: NotificationSettings.default({ newConversation: true, heldConversationMessage: true, badge: true }),
  window: WindowState.optional(),
  /** Where `pand_livetraining.aiml` is written; the default workspace when unset. */
  workspaceDir: z.string().min(1).max(4096).optional(),
  /** Pandorabots API app id and user key per remote Platform URL, for publishing (secrets: never sent to the renderer). */
  apiCredentials: z.record(z.string(), z.object({ appId: z.string().min(1).max(64), userKey: z.string().min(1).max(128) })).optional(),
});
export type StudioSettings = z.infer<typeof StudioSettings>;

export const DEFAULT_SETTINGS: StudioSettings = StudioSettings.parse({});

/** What the renderer may see: everything but the token, which becomes `hasToken`. */
export function settingsView(s: StudioSettings): StudioSettingsView {
  return {
    platformUrl: s.platformUrl,
    hasToken: s.token !== undefined,
    embedded: s.embedded,
    designerName: s.designerName,
    notifications: { ...s.notifications },
  };
}

/** Whether a Platform has been chosen at all (first run: no). */
export function isConfigured(s: StudioSettings): boolean {
  return s.embedded || (s.platformUrl !== undefined && s.token !== undefined);
}
