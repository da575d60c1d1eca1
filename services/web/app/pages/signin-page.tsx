import { useRef, useState } from 'preact/hooks';

import { TextField } from '../components/fields.js';
import { FormAlert } from '../components/form-alert.js';
import { Page } from '../components/page.js';
import { LiveStatus } from '../components/status.js';
import { location, navigate } from '../lib/navigation.js';
import { fieldErrors } from '../lib/problem.js';
import { paths, safeNext } from '../lib/routes.js';
import { signIn } from '../lib/session.js';
import { useStore } from '../lib/store.js';

/** `/signin?next=…`: email and password; then back to where the shopper was going. */
export function SignInPage() {
  const here = useStore(location);
  const next = safeNext(new URLSearchParams(here.search).get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(error);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email.trim(), password);
      navigate(next, { replace: true });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Page title="Sign in">
      <form class="narrow-form" onSubmit={submit} ref={form} noValidate>
        <FormAlert error={error} form={form} fields={['email', 'username', 'password']} />
        <TextField
          id="signin-email"
          label="Email"
          type="email"
          autocomplete="username"
          value={email}
          onValue={setEmail}
          error={errors.email ?? errors.username}
          required
        />
        <TextField
          id="signin-password"
          label="Password"
          type="password"
          autocomplete="current-password"
          value={password}
          onValue={setPassword}
          error={errors.password}
          required
        />
        <LiveStatus>{busy ? 'Signing in…' : ''}</LiveStatus>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        New to Cartwheel? <a href={paths.register}>Create an account</a>
      </p>
    </Page>
  );
}
