/**
 * Size limits shared by every edge. The Platform enforces them; clients use them to refuse early with the
 * same numbers, so a user never types a message that the server will reject without saying why.
 */
export const LIMITS = {
  /** Longest user or designer message, in characters (Pandorabots' `input` limit is 2000). */
  messageChars: 2000,
  /** Largest WebSocket frame the Platform accepts, in bytes (a 2000-char message JSON-escaped fits easily). */
  frameBytes: 64 * 1024,
  /** Messages a conversation may hold before the Platform refuses more from the user. */
  conversationMessages: 10_000,
  /** Client names, bot names: Pandorabots allows 3-64 characters. */
  botNameMin: 3,
  botNameMax: 64,
} as const;
