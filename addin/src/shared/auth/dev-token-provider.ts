import { SignInError, type SignedInAccount, type TokenProvider } from './token-provider.js';

export interface DevPerson {
  name: string;
  email: string;
  role: string;
}

const PERSON_KEY = 'sv.devPerson';

/** The person chosen on the development sign-in, remembered in this browser. */
export function chosenDevPerson(storage: Storage = localStorage): string | null {
  return storage.getItem(PERSON_KEY);
}

export function chooseDevPerson(email: string, storage: Storage = localStorage): void {
  storage.setItem(PERSON_KEY, email);
}

/**
 * The person a first visit signs in as: whoever was chosen before, else the first
 * partner, so trying the product starts with a working page rather than an error.
 */
export async function devPersonOrDefault(fetchImpl: typeof fetch = fetch, storage: Storage = localStorage): Promise<string | null> {
  const chosen = chosenDevPerson(storage);
  if (chosen) return chosen;
  const people = await listDevPeople(fetchImpl);
  const first = people.find((p) => p.role === 'partner') ?? people[0];
  if (first) chooseDevPerson(first.email, storage);
  return first?.email ?? null;
}

export async function listDevPeople(fetchImpl: typeof fetch = fetch): Promise<DevPerson[]> {
  const response = await fetchImpl('/dev/people', { cache: 'no-store' });
  if (!response.ok) throw new SignInError('The development sign-in is not available on this server.');
  return (await response.json()) as DevPerson[];
}

/**
 * Tokens from the server's development issuer for the person chosen in this
 * browser: the same tokens `npm run dev-token` prints, verified by the same code
 * as Entra ID's. Only offered when the server runs its development issuer.
 */
export class DevTokenProvider implements TokenProvider {
  private cached: { token: string; expiresAt: number; email: string; name: string } | null = null;

  constructor(
    private readonly email: () => Promise<string | null> | string | null = () => devPersonOrDefault(),
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  async getToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    const email = await this.email();
    if (!email) throw new SignInError('Choose who you are signing in as (development sign-in).');
    const fresh = this.cached && this.cached.email === email && this.cached.expiresAt - Date.now() > 60_000;
    if (fresh && !options.forceRefresh) return this.cached!.token;
    const response = await this.fetchImpl('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    if (!response.ok) throw new SignInError(`The development sign-in refused ${email}: choose someone else.`);
    const body = (await response.json()) as { token: string; expiresIn: number; name: string };
    this.cached = { token: body.token, expiresAt: Date.now() + body.expiresIn * 1000, email, name: body.name };
    return body.token;
  }

  account(): SignedInAccount | null {
    return this.cached ? { name: this.cached.name, email: this.cached.email } : null;
  }
}
