// Electron's entry point (package.json "main": out/electron/main.js).
import { startElectronApp } from './app.js';

startElectronApp();
