export declare const STUDIO_NODE: [number, number];
export declare const ELECTRON_NODE: [number, number];
export declare function atLeast(version: string, minimum: readonly [number, number]): boolean;
export declare function nodeTooOld(version: string): string | undefined;
