import { PlatformForm } from '../settings/PlatformForm.js';

/** Shown while no Platform is configured: the one question Studio has to ask before anything else works. */
export function FirstRun() {
  return (
    <main className="first-run">
      <div className="first-run-card">
        <h1>Welcome to Live Training Studio</h1>
        <p>
          Watch your bot's conversations as they happen, step in where it is weak, and every answer you give becomes
          AIML the bot uses from then on.
        </p>
        <PlatformForm />
      </div>
    </main>
  );
}
