import { userInfo } from 'node:os';

/** Account names that say nothing about the person: a designer called "root" helps nobody. */
const ANONYMOUS_ACCOUNTS = new Set(['root', 'admin', 'administrator', 'user', 'nobody', 'ubuntu', 'debian', 'pi']);

/**
 * The name Studio's local designer gets when the designer has not chosen one (issue 10, point 7: "root (you)"):
 * the computer account's name when it names a person, else plain "Designer". The designer can change it under
 * Settings, "You".
 */
export function defaultDesignerName(accountName: string | undefined = safeUserName()): string {
  const name = (accountName ?? '').trim();
  if (name === '' || ANONYMOUS_ACCOUNTS.has(name.toLowerCase()) || name.length > 80) return 'Designer';
  return name;
}

function safeUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (containers): no name to go by.
    return undefined;
  }
}
