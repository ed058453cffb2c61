/** What the server tells the front ends at run time (api/src/app/front-end.router.ts). */
export interface FrontEndConfig {
  apiUrl: string;
  signIn: { kind: 'development' } | { kind: 'entra'; clientId: string | null; apiScope: string };
}

export async function loadFrontEndConfig(fetchImpl: typeof fetch = fetch): Promise<FrontEndConfig> {
  const response = await fetchImpl('/addin/config.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`The server did not give its settings (HTTP ${response.status}).`);
  return (await response.json()) as FrontEndConfig;
}
