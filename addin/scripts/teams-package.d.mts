export const TEAMS_DIR: string;
export const DEFAULT_HOST: string;
export const PLACEHOLDER_CLIENT_ID: string;
export const DEFAULT_OUT: string;
export function teamsManifest(options?: { host?: string; clientId?: string }): Record<string, any>;
export function buildTeamsPackage(options?: {
  host?: string;
  clientId?: string;
  outFile?: string;
}): Promise<{ outFile: string; manifest: Record<string, any> }>;
