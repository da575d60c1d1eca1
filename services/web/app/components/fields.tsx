import type { ComponentChildren } from 'preact';

interface ShellProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
}

/** Label, control, hint and error of one field; the control is described by hint and error. */
function FieldShell(props: ShellProps) {
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The accessibility attributes that tie a control to its hint and error. */
function describedBy(id: string, error?: string, hint?: string) {
  const ids = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}

interface InputProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'search' | 'tel' | 'url';
  autocomplete?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email' | 'tel' | 'search' | 'url';
  maxLength?: number;
  required?: boolean;
  /** A multi-line field (`<textarea>`) of this many rows. */
  rows?: number;
}

/** A labelled text input, or a textarea with `rows`. */
export function TextField({ id, label, value, onValue, error, hint, type, rows, ...rest }: InputProps) {
  const common = {
    ...rest,
    id,
    name: id,
    value,
    onInput: (event: { currentTarget: { value: string } }) => onValue(event.currentTarget.value),
    ...describedBy(id, error, hint),
  };
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      {rows ? (
        <textarea {...common} rows={rows} />
      ) : (
        // Preact 11 types each input type separately; these text-like types share every prop used here.
        <input {...common} type={(type ?? 'text') as 'text'} />
      )}
    </FieldShell>
  );
}

interface SelectProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
  error?: string;
  hint?: string;
}

export function SelectField({ id, label, value, onValue, options, error, hint }: SelectProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        name={id}
        value={value}
        onChange={(event) => onValue(event.currentTarget.value)}
        {...describedBy(id, error, hint)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
