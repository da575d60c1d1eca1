import { useRef, useState } from 'preact/hooks';

import { TextField } from '../components/fields.js';
import { FormAlert } from '../components/form-alert.js';
import { Page } from '../components/page.js';
import { LiveStatus } from '../components/status.js';
import { showFlash } from '../lib/flash.js';
import { navigate } from '../lib/navigation.js';
import { fieldErrors } from '../lib/problem.js';
import { paths } from '../lib/routes.js';
import { register } from '../lib/session.js';
import type { Registration } from '../lib/types.js';

const FIELDS = ['email', 'password', 'first_name', 'last_name', 'phone'] as const;

/** `/register`: a new shopper account, signed in right after. */
export function RegisterPage() {
  const [values, setValues] = useState<Record<(typeof FIELDS)[number], string>>({
    email: '',
    password: '',
    first_name: '',
    last_name: '',
    phone: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(error);
  const set = (field: (typeof FIELDS)[number]) => (value: string) =>
    setValues((v) => ({ ...v, [field]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const registration: Registration = {
      email: values.email.trim(),
      password: values.password,
      first_name: values.first_name.trim(),
      last_name: values.last_name.trim(),
    };
    if (values.phone.trim()) registration.phone = values.phone.trim();
    try {
      const user = await register(registration);
      showFlash(paths.catalog, `Welcome, ${user.first_name}! Your account is ready.`);
      navigate(paths.catalog);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Page title="Create an account">
      <form class="narrow-form" onSubmit={submit} ref={form} noValidate>
        <FormAlert error={error} form={form} fields={[...FIELDS]} />
        <TextField
          id="register-first-name"
          label="First name"
          autocomplete="given-name"
          value={values.first_name}
          onValue={set('first_name')}
          error={errors.first_name}
          required
        />
        <TextField
          id="register-last-name"
          label="Last name"
          autocomplete="family-name"
          value={values.last_name}
          onValue={set('last_name')}
          error={errors.last_name}
          required
        />
        <TextField
          id="register-email"
          label="Email"
          type="email"
          autocomplete="email"
          value={values.email}
          onValue={set('email')}
          error={errors.email}
          required
        />
        <TextField
          id="register-password"
          label="Password"
          type="password"
          autocomplete="new-password"
          hint="8 to 128 characters, with at least one letter and one digit."
          value={values.password}
          onValue={set('password')}
          error={errors.password}
          required
        />
        <TextField
          id="register-phone"
          label="Phone (optional)"
          type="tel"
          autocomplete="tel"
          value={values.phone}
          onValue={set('phone')}
          error={errors.phone}
        />
        <LiveStatus>{busy ? 'Creating your account…' : ''}</LiveStatus>
        <button type="submit" disabled={busy}>
          Create account
        </button>
      </form>
      <p>
        Already registered? <a href={paths.signin()}>Sign in</a>
      </p>
    </Page>
  );
}
