// Which Node runs what (README, "Node versions"). Plain JavaScript so that an old Node can still run it and say so.

/** Studio, the Platform, the build and the tests: vite 8 and require(esm) need 20.19. */
export const STUDIO_NODE = [20, 19];
/** The Electron package and its download helpers declare 22.12 (`engines` in their package.json). */
export const ELECTRON_NODE = [22, 12];

export function atLeast(version, [major, minor]) {
  const [a, b] = String(version).replace(/^v/, '').split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** One line saying what to do when this Node cannot run Studio, else undefined. */
export function nodeTooOld(version) {
  if (atLeast(version, STUDIO_NODE)) return undefined;
  return `Studio needs Node ${STUDIO_NODE.join('.')} or newer (22.12+ to get Electron); this is Node ${String(version).replace(/^v/, '')}. Install a newer Node (https://nodejs.org, or \`nvm install 22\`) and run npm ci again.`;
}
