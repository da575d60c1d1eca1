import { useState } from 'preact/hooks';

/**
 * Hides a field's error once the person edits that field, until the next submit: an error next
 * to a value that was already corrected only confuses.
 */
export function useEditedFields() {
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  return {
    /** Call from the field's change handler. */
    markEdited: (field: string) =>
      setEdited((fields) => (fields.has(field) ? fields : new Set(fields).add(field))),
    /** Call when the form is submitted again. */
    reset: () => setEdited(new Set()),
    /** The errors of the fields not edited since the last submit. */
    visible: (errors: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(errors).filter(([field]) => !edited.has(field))),
  };
}
