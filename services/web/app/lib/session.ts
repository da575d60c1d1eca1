import { api } from './api.js';
import { client, sessionExpiry } from './client.js';
import { showFlash } from './flash.js';
import { location, navigate } from './navigation.js';
import { paths } from './routes.js';
import { createStore } from './store.js';
import type { Registration, User } from './types.js';

export type SessionState =
  { status: 'restoring' } | { status: 'signed-out' } | { status: 'signed-in'; user: User };

export const session = createStore<SessionState>({
  status: client.hasSession() ? 'restoring' : 'signed-out',
});

export const isAdmin = (state: SessionState): boolean =>
  state.status === 'signed-in' && state.user.role === 'admin';

/** Picks up this tab's session after a reload (the refresh token in sessionStorage). */
export async function restoreSession(): Promise<void> {
  if (!client.hasSession()) {
    session.set({ status: 'signed-out' });
    return;
  }
  try {
    session.set({ status: 'signed-in', user: await api.me() });
  } catch {
    // Refused (the client has forgotten the tokens) or unreachable: the shopper signs in again.
    session.set({ status: 'signed-out' });
  }
}

export async function signIn(email: string, password: string): Promise<User> {
  await client.login(email, password);
  const user = await api.me();
  session.set({ status: 'signed-in', user });
  return user;
}

export async function register(registration: Registration): Promise<User> {
  await api.register(registration);
  return signIn(registration.email, registration.password);
}

export async function signOut(): Promise<void> {
  await client.logout();
  session.set({ status: 'signed-out' });
  showFlash(paths.catalog, 'You are signed out.', 'info');
  navigate(paths.catalog);
}

/** Keeps the signed-in user's details (addresses) current after a change. */
export async function reloadUser(): Promise<void> {
  session.set({ status: 'signed-in', user: await api.me() });
}

sessionExpiry.listener = (reason) => {
  session.set({ status: 'signed-out' });
  const here = location.get();
  if (here.pathname === '/signin') return;
  const next = paths.signin(here.pathname + here.search);
  showFlash('/signin', reason, 'info');
  navigate(next, { replace: true });
};
