import { useRef, useState } from 'preact/hooks';

import { api } from '../lib/api.js';
import { fieldErrors } from '../lib/problem.js';
import type { StockRecord } from '../lib/types.js';
import { TextField } from './fields.js';
import { FormAlert } from './form-alert.js';
import { LiveStatus } from './status.js';

/** A record's numbers, in words a screen reader reads in order. */
export function StockFacts(props: { record: StockRecord }) {
  const { record } = props;
  const low = !record.discontinued && record.available_quantity < record.reorder_threshold;
  return (
    <dl class="facts facts-compact">
      <div>
        <dt>Available</dt>
        <dd data-testid="stock-available">{record.available_quantity}</dd>
      </div>
      <div>
        <dt>Reserved</dt>
        <dd data-testid="stock-reserved">{record.reserved_quantity}</dd>
      </div>
      <div>
        <dt>Threshold</dt>
        <dd>{record.reorder_threshold}</dd>
      </div>
      <div>
        <dt>State</dt>
        <dd>
          {record.discontinued ? (
            <span class="badge badge-out">Discontinued</span>
          ) : low ? (
            <span class="badge badge-low">Low stock</span>
          ) : (
            <span class="badge badge-in">OK</span>
          )}
        </dd>
      </div>
    </dl>
  );
}

/**
 * Restock (`PATCH /inventory/{id}/restock`) and adjust by a signed delta with a reason
 * (`POST /inventory/adjust`); each answers the new record, which replaces the shown one.
 */
export function StockControls(props: {
  record: StockRecord;
  label: string;
  onChange: (record: StockRecord) => void;
}) {
  const { record } = props;
  const key = record.product_id;
  const [restock, setRestock] = useState('');
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const restockForm = useRef<HTMLFormElement>(null);
  const adjustForm = useRef<HTMLFormElement>(null);
  const [failed, setFailed] = useState<'restock' | 'adjust'>();
  const errors = fieldErrors(error);

  const run = async (which: 'restock' | 'adjust', action: () => Promise<StockRecord>, done: string) => {
    setBusy(true);
    setError(undefined);
    setStatus('');
    try {
      const updated = await action();
      props.onChange(updated);
      setStatus(`${done} ${props.label}: ${updated.available_quantity} available.`);
      if (which === 'restock') setRestock('');
      else {
        setDelta('');
        setReason('');
      }
    } catch (failure) {
      setFailed(which);
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stock-controls" role="group" aria-label={`Change the stock of ${props.label}`}>
      <form
        ref={restockForm}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run('restock', () => api.restock(key, Number(restock)), 'Restocked');
        }}
      >
        {failed === 'restock' && <FormAlert error={error} form={restockForm} fields={['quantity']} />}
        <div class="inline-fields">
          <TextField
            id={`restock-${key}`}
            label="Restock by"
            inputMode="numeric"
            value={restock}
            onValue={setRestock}
            error={failed === 'restock' ? errors.quantity : undefined}
          />
          <button type="submit" disabled={busy}>
            Restock
          </button>
        </div>
      </form>
      <details open={failed === 'adjust'}>
        <summary>Adjust with a reason</summary>
        <form
          ref={adjustForm}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void run('adjust', () => api.adjustStock(key, Number(delta), reason.trim()), 'Adjusted');
          }}
        >
          {failed === 'adjust' && <FormAlert error={error} form={adjustForm} fields={['delta', 'reason']} />}
          <TextField
            id={`delta-${key}`}
            label="Change by (negative removes)"
            inputMode="numeric"
            value={delta}
            onValue={setDelta}
            error={failed === 'adjust' ? errors.delta : undefined}
          />
          <TextField
            id={`reason-${key}`}
            label="Reason"
            value={reason}
            onValue={setReason}
            maxLength={200}
            error={failed === 'adjust' ? errors.reason : undefined}
          />
          <button type="submit" disabled={busy}>
            Adjust
          </button>
        </form>
      </details>
      <LiveStatus>{status}</LiveStatus>
    </div>
  );
}
