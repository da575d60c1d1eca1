import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

import { describeError, unplacedErrors } from '../lib/problem.js';

/**
 * What went wrong with a form, at its top (role=alert). When the server named fields that the
 * form shows, each field shows its own message and focus goes to the first of them; otherwise
 * focus goes here.
 */
export function FormAlert(props: {
  error: unknown;
  form: RefObject<HTMLFormElement | null>;
  /** Fields the form shows, by the name the API uses (`line1`, `price`). */
  fields: string[];
  /** The API's prefix for those fields (`shipping_address.`). */
  prefix?: string;
}) {
  const alert = useRef<HTMLDivElement>(null);
  const { error } = props;
  useEffect(() => {
    if (!error) return;
    const invalid = props.form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? alert.current)?.focus();
  }, [error]);
  if (!error) return null;
  const others = unplacedErrors(error, props.fields, props.prefix);
  const placed = others.length === 0 && (error as { errors?: unknown[] }).errors?.length;
  return (
    <div class="error-box form-alert" role="alert" tabIndex={-1} ref={alert}>
      <p>{placed ? 'Please correct the fields marked below.' : describeError(error)}</p>
      {!placed && others.length > 1 && (
        <ul>
          {others.map((problem) => (
            <li key={problem.path}>
              {problem.path}: {problem.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
