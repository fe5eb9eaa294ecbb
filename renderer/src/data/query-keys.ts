/** The React Query cache layout: one key per thing main tells the renderer about. */
export const queryKeys = {
  appState: ['app.state'] as const,
  conversations: ['conversations'] as const,
  transcript: (conversationId: string) => ['transcript', conversationId] as const,
  /** Pushed only (no method to ask): when inactivity hands back what this designer holds. */
  deadline: ['activity.deadline'] as const,
  /** Pushed only: total unread for the title badge. */
  badge: ['badge'] as const,
  settings: ['settings'] as const,
  /** Read once per page load: how the designer left Studio (view, open conversation, drafts, scroll). */
  viewMemory: ['memory'] as const,
};
