import type { ComponentChildren } from 'preact';

import { location } from '../lib/navigation.js';
import { paths } from '../lib/routes.js';
import { session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import type { User } from '../lib/types.js';
import { Page } from './page.js';
import { LiveStatus } from './status.js';

/**
 * Renders `children(user)` for a signed-in user (with `role`, if given); otherwise a page that
 * says why, with a sign-in link that comes back here.
 */
export function RequireRole(props: {
  title: string;
  role?: 'admin' | 'user';
  children: (user: User) => ComponentChildren;
}) {
  const state = useStore(session);
  const here = useStore(location);
  if (state.status === 'restoring') {
    return (
      <Page title={props.title}>
        <LiveStatus>Restoring your session…</LiveStatus>
      </Page>
    );
  }
  if (state.status === 'signed-out') {
    return (
      <Page title={props.title}>
        <p>
          Please <a href={paths.signin(here.pathname + here.search)}>sign in</a> to continue. New here?{' '}
          <a href={paths.register}>Create an account</a>.
        </p>
      </Page>
    );
  }
  if (props.role && state.user.role !== props.role) {
    return (
      <Page title={props.title}>
        <p>
          {props.role === 'admin'
            ? 'This page is for shop administrators.'
            : 'Administrator accounts cannot place orders; sign in with a shopper account.'}
        </p>
      </Page>
    );
  }
  return <>{props.children(state.user)}</>;
}
