import { z } from 'zod';
import { BotEngineLimits } from './bot-engine-limits.js';

const Colour = z.string().regex(/^#[0-9a-fA-F]{3,8}$/, 'a colour is #rgb or #rrggbb');
const Url = z.string().max(2048).refine((s) => s === '' || /^https?:\/\//.test(s) || s.startsWith('/'), 'a link is http(s):// or a path on this Platform');

/** How the Chat Widget and the Landing Page look; Pandorabots' widget form fields. */
export const ChannelAppearance = z.object({
  title: z.string().max(120),
  subtitle: z.string().max(200),
  openingMessage: z.string().max(2000),
  placeholder: z.string().max(120),
  avatarUrl: Url,
  themeColour: Colour,
  textColour: Colour,
  callToAction: z.object({
    enabled: z.boolean(),
    title: z.string().max(120),
    text: z.string().max(400),
    buttonText: z.string().max(60),
  }),
  /** How human replies look to the end user: like the bot's (default) or marked as from a person. */
  humanStyle: z.enum(['bot', 'human']),
  /** How the paused/reactivated/inactivity notices look: as notices (default) or like bot messages. */
  systemStyle: z.enum(['notice', 'bot']),
});
export type ChannelAppearance = z.infer<typeof ChannelAppearance>;

export const LandingPage = z.object({
  title: z.string().max(120),
  description: z.string().max(4000),
  /** The media slot: an image, or a video file (mp4, webm, ogg), as Pandorabots' "image/video link". */
  imageUrl: Url,
  author: z.object({
    name: z.string().max(120),
    email: z.string().max(200),
    website: Url,
    links: z.array(z.object({ label: z.string().max(60), url: Url })).max(10),
  }),
});
export type LandingPage = z.infer<typeof LandingPage>;

/** Per-bot Live Training settings, owned by the Platform, editable by designers. */
export const LiveTrainingSettings = z.object({
  pausedMessage: z.string().min(1).max(2000),
  reactivatedMessage: z.string().min(1).max(2000),
  inactivityMessage: z.string().min(1).max(2000),
  /** How long a holder may be inactive before the bot resumes itself. Default 15 minutes. */
  inactivityTimeoutMs: z.number().int().min(1_000).max(24 * 3600_000),
  /** Origins allowed to open the chat WebSocket (the widget's host pages). The Platform's own origin always is. */
  allowedOrigins: z.array(z.string().max(300)).max(100),
  /**
   * How long the Landing Page and the widget keep a conversation in the browser after the user's last visit, in
   * minutes: reopening the page within it continues the conversation with its history. Default 7 days.
   */
  keepConversationMinutes: z.number().int().min(1).max(365 * 24 * 60).optional(),
  /**
   * Kept by the Platform, not set by designers: sites whose pages tried to show the Chat Widget and were refused
   * (not in `allowedOrigins`), newest first, so designers see which site was refused and can allow it in one click.
   */
  refusedOrigins: z.array(z.object({ origin: z.string().max(300), at: z.number(), count: z.number().int().positive() })).max(10).optional(),
  appearance: ChannelAppearance,
  landingPage: LandingPage,
  /**
   * "Review learned answers before the bot uses them": new learned categories stay drafts until a designer approves
   * them. Default off (absent): the bot uses a designer's answer at once.
   */
  reviewLearnedAnswers: z.boolean().optional(),
  /** The AIML engine's limits for this bot (the Platform always fills them in; absent from older Platforms). */
  engineLimits: BotEngineLimits.optional(),
});
export type LiveTrainingSettings = z.infer<typeof LiveTrainingSettings>;

export const LiveTrainingSettingsPatch = LiveTrainingSettings.omit({ refusedOrigins: true }).partial().extend({
  appearance: ChannelAppearance.partial().optional(),
  landingPage: LandingPage.partial().optional(),
});
export type LiveTrainingSettingsPatch = z.infer<typeof LiveTrainingSettingsPatch>;
