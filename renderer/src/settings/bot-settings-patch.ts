import { LiveTrainingSettingsPatch, type ChannelAppearance, type LiveTrainingSettings } from '../../../protocol/bot-settings.js';
import { engineLimitsDraft, engineLimitsPatch, type EngineLimitsDraft } from './engine-limits-draft.js';

/** The part of a bot's settings that Studio's form edits, as the form holds it (the timeout in minutes, as text). */
export interface BotSettingsDraft {
  pausedMessage: string;
  reactivatedMessage: string;
  inactivityMessage: string;
  inactivityMinutes: string;
  appearance: Pick<ChannelAppearance, 'title' | 'subtitle' | 'openingMessage' | 'placeholder' | 'themeColour' | 'textColour' | 'humanStyle' | 'systemStyle'>;
  /** "Review learned answers before the bot uses them". */
  reviewLearnedAnswers: boolean;
  /** Absent when the Platform does not offer per-bot engine limits. */
  engineLimits?: EngineLimitsDraft;
}

export function draftFrom(settings: LiveTrainingSettings): BotSettingsDraft {
  const a = settings.appearance;
  return {
    pausedMessage: settings.pausedMessage,
    reactivatedMessage: settings.reactivatedMessage,
    inactivityMessage: settings.inactivityMessage,
    inactivityMinutes: String(Math.round((settings.inactivityTimeoutMs / 60_000) * 100) / 100),
    appearance: {
      title: a.title,
      subtitle: a.subtitle,
      openingMessage: a.openingMessage,
      placeholder: a.placeholder,
      themeColour: a.themeColour,
      textColour: a.textColour,
      humanStyle: a.humanStyle,
      systemStyle: a.systemStyle,
    },
    reviewLearnedAnswers: settings.reviewLearnedAnswers === true,
    ...(settings.engineLimits ? { engineLimits: engineLimitsDraft(settings.engineLimits) } : {}),
  };
}

export type PatchResult = { ok: true; patch: LiveTrainingSettingsPatch; changed: boolean } | { ok: false; problems: string[] };

const FIELD_NAMES: Record<string, string> = {
  pausedMessage: 'Paused message',
  reactivatedMessage: 'Reactivated message',
  inactivityMessage: 'Inactivity message',
  inactivityTimeoutMs: 'Inactivity timeout',
  title: 'Title',
  subtitle: 'Subtitle',
  openingMessage: 'Opening message',
  placeholder: 'Placeholder',
  themeColour: 'Theme colour',
  textColour: 'Text colour',
};

/**
 * Only what changed goes to the Platform, checked with the same schema the Platform uses, so a mistake is
 * explained here (in the field's words) before anything is sent.
 */
export function patchFrom(original: LiveTrainingSettings, draft: BotSettingsDraft): PatchResult {
  const problems: string[] = [];
  const patch: LiveTrainingSettingsPatch = {};
  for (const key of ['pausedMessage', 'reactivatedMessage', 'inactivityMessage'] as const) {
    if (draft[key] !== original[key]) patch[key] = draft[key];
  }
  if (draft.reviewLearnedAnswers !== (original.reviewLearnedAnswers === true)) patch.reviewLearnedAnswers = draft.reviewLearnedAnswers;
  const minutes = Number(draft.inactivityMinutes.replace(',', '.'));
  if (!Number.isFinite(minutes) || draft.inactivityMinutes.trim() === '') problems.push('Inactivity timeout: enter a number of minutes.');
  else {
    const ms = Math.round(minutes * 60_000);
    if (ms !== original.inactivityTimeoutMs) patch.inactivityTimeoutMs = ms;
  }
  const appearance: Partial<ChannelAppearance> = {};
  for (const key of Object.keys(draft.appearance) as (keyof BotSettingsDraft['appearance'])[]) {
    if (draft.appearance[key] !== original.appearance[key]) (appearance as Record<string, unknown>)[key] = draft.appearance[key];
  }
  if (Object.keys(appearance).length > 0) patch.appearance = appearance;
  if (original.engineLimits && draft.engineLimits) {
    const limits = engineLimitsPatch(original.engineLimits, draft.engineLimits);
    problems.push(...limits.problems);
    if (limits.limits) patch.engineLimits = limits.limits;
  }
  if (problems.length > 0) return { ok: false, problems };

  const checked = LiveTrainingSettingsPatch.safeParse(patch);
  if (!checked.success) {
    return {
      ok: false,
      problems: checked.error.issues.map((issue) => {
        const field = String(issue.path.at(-1) ?? '');
        const name = FIELD_NAMES[field] ?? field;
        if (field === 'inactivityTimeoutMs') return `${name}: between 1 second (0.02 minutes) and 24 hours (1440 minutes).`;
        if (issue.code === 'too_small') return `${name}: cannot be empty.`;
        return `${name}: ${issue.message}`;
      }),
    };
  }
  return { ok: true, patch: checked.data, changed: Object.keys(checked.data).length > 0 };
}
