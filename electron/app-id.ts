/** electron-builder.yml's appId (tests/unit/packaging.test.ts keeps them equal; it cannot import Electron). */
export const STUDIO_APP_ID = 'com.livetraining.studio';
