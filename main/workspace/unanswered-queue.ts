import { AppError } from '../../protocol/errors.js';
import type { UnansweredGroup } from '../../protocol/learned.js';
import type { BotWorkspace } from './bot-workspaces.js';
import type { LearnedRequester } from './bot-learning.js';

/**
 * The unanswered queue (issue 13): the inputs a bot fell back on, grouped on the Platform as the bot normalises them.
 * Answering a group creates one category there (taken into the mirror at once) and, when asked, sends the answer to
 * the users still online in those conversations; a group can be ignored. It needs the Platform: offline, it says so.
 */
export class UnansweredQueue {
  constructor(private readonly requester: () => LearnedRequester | undefined) {}

  async list(state: BotWorkspace, includeIgnored = false): Promise<{ groups: UnansweredGroup[] }> {
    return this.online().request('unanswered.list', { bot: state.bot, includeIgnored, limit: 200 });
  }

  async answer(state: BotWorkspace, groupKey: string, template: string, sendToOnline: boolean): Promise<{ id?: string; sentTo: string[] }> {
    // Plain text, as typed: the Platform sends it as a reply and escapes it into the category's template.
    const result = await this.online().request('unanswered.answer', { bot: state.bot, groupKey, template: template.trim(), sendToOnline });
    await state.learning.take(result);
    const id = result.categories[0]?.id;
    return id !== undefined ? { id, sentTo: result.sentTo } : { sentTo: result.sentTo };
  }

  async ignore(state: BotWorkspace, groupKey: string, ignored: boolean): Promise<Record<string, never>> {
    await this.online().request('unanswered.ignore', { bot: state.bot, groupKey, ignored });
    return {};
  }

  private online(): LearnedRequester {
    const requester = this.requester();
    if (!requester) throw new AppError('offline', 'The unanswered queue is kept on the Platform: it shows once Studio is connected again.');
    return requester;
  }
}
