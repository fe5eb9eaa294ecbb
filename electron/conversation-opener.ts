/**
 * Opens a conversation from a notification click. When the window is there and its page is running, the
 * `navigate` event goes at once. When the window was closed (macOS keeps Studio running without one), a new
 * window opens and the event waits until its page first calls the Studio API: by then the page is listening for
 * events (it subscribes in the same render that makes its first call), whereas one sent earlier would be lost.
 */
export class ConversationOpener {
  private pending: string | undefined;
  private pageReady = false;

  constructor(
    private readonly o: {
      /** Whether a window exists (and is not destroyed). */
      hasWindow: () => boolean;
      /** Opens a window, or brings the existing one forward. */
      bringForward: () => void;
      navigate: (conversationId: string) => void;
    },
  ) {}

  open(conversationId: string): void {
    const ready = this.o.hasWindow() && this.pageReady;
    this.o.bringForward();
    if (ready) this.o.navigate(conversationId);
    else this.pending = conversationId;
  }

  /** A new window (or a reload) starts a page that is not listening yet. */
  pageStarting(): void {
    this.pageReady = false;
  }

  /** The window's page called the Studio API. */
  pageCalled(): void {
    if (this.pageReady) return;
    this.pageReady = true;
    const id = this.pending;
    this.pending = undefined;
    if (id) this.o.navigate(id);
  }
}
