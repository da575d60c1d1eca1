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
import { useEditedFields } from '../lib/use-edited-fields.js';

const FIELDS = ['email', 'password', 'first_name', 'last_name', 'phone'] as const;
type Field = (typeof FIELDS)[number];

const INPUTS: {
  field: Field;
  label: string;
  autocomplete: string;
  type?: 'email' | 'password' | 'tel';
  hint?: string;
}[] = [
  { field: 'first_name', label: 'First name', autocomplete: 'given-name' },
  { field: 'last_name', label: 'Last name', autocomplete: 'family-name' },
  { field: 'email', label: 'Email', type: 'email', autocomplete: 'email' },
  {
    field: 'password',
    label: 'Password',
    type: 'password',
    autocomplete: 'new-password',
    hint: '8 to 128 characters, with at least one letter and one digit.',
  },
  { field: 'phone', label: 'Phone (optional)', type: 'tel', autocomplete: 'tel' },
];

/** `/register`: a new shopper account, signed in right after. */
export function RegisterPage() {
  const [values, setValues] = useState<Record<Field, string>>({
    email: '',
    password: '',
    first_name: '',
    last_name: '',
    phone: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const form = useRef<HTMLFormElement>(null);
  const editing = useEditedFields();
  const errors = editing.visible(fieldErrors(error));
  const set = (field: Field) => (value: string) => {
    editing.markEdited(field);
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    editing.reset();
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
        {INPUTS.map(({ field, ...input }) => (
          <TextField
            key={field}
            {...input}
            id={`register-${field}`}
            value={values[field]}
            onValue={set(field)}
            error={errors[field]}
            required={field !== 'phone'}
          />
        ))}
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
