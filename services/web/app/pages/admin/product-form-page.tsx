import { useEffect, useRef, useState } from 'preact/hooks';

import { TextField } from '../../components/fields.js';
import { FormAlert } from '../../components/form-alert.js';
import { Page } from '../../components/page.js';
import { RequireRole } from '../../components/require-role.js';
import { StockControls, StockFacts } from '../../components/stock-controls.js';
import { ErrorMessage, LiveStatus } from '../../components/status.js';
import { api } from '../../lib/api.js';
import { showFlash } from '../../lib/flash.js';
import { parseAmount } from '../../lib/money.js';
import { navigate } from '../../lib/navigation.js';
import { ApiError, fieldErrors } from '../../lib/problem.js';
import { paths } from '../../lib/routes.js';
import type { Product, ProductInput, StockRecord } from '../../lib/types.js';
import { useAsync } from '../../lib/use-async.js';
import { useEditedFields } from '../../lib/use-edited-fields.js';

const FIELDS = ['name', 'description', 'category', 'price', 'quantity', 'tags', 'image_url'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

const valuesOf = (p?: Product): Values => ({
  name: p?.name ?? '',
  description: p?.description ?? '',
  category: p?.category ?? '',
  price: p ? p.price.toFixed(2) : '',
  quantity: '',
  tags: p?.tags.join(', ') ?? '',
  image_url: p?.image_url ?? '',
});

/** The body the catalog takes; a price that is not an amount is sent as NaN → null, so the API names it. */
function inputOf(values: Values): ProductInput {
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    category: values.category.trim(),
    price: parseAmount(values.price) ?? Number.NaN,
    tags: values.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    image_url: values.image_url.trim() || null,
  };
}

/** Inventory creates a new product's record from its event: ask every 500 ms for up to a minute. */
const STOCK_POLLS = 120;

/** The product's stock record: created by inventory from `product.created`, so it may take a moment. */
function StockPanel(props: { product: Product }) {
  const [attempt, setAttempt] = useState(0);
  const stock = useAsync((signal) => api.stock(props.product._id, signal), [props.product._id, attempt]);
  const [record, setRecord] = useState<StockRecord>();
  const missing = stock.error instanceof ApiError && stock.error.status === 404;
  useEffect(() => {
    if (stock.data) setRecord(stock.data);
  }, [stock.data]);
  useEffect(() => {
    if (!missing || attempt >= STOCK_POLLS) return undefined;
    const timer = setTimeout(() => setAttempt((n) => n + 1), 500);
    return () => clearTimeout(timer);
  }, [missing, attempt]);
  return (
    <section class="panel" aria-labelledby="stock-title">
      <h2 id="stock-title">Inventory</h2>
      <LiveStatus>
        {missing && attempt < STOCK_POLLS ? 'The inventory record is being created…' : ''}
        {stock.loading && !record && !missing ? 'Loading the inventory record…' : ''}
      </LiveStatus>
      {missing && attempt >= STOCK_POLLS && <p>No inventory record exists for this product.</p>}
      {!missing && <ErrorMessage error={stock.error} retry={stock.reload} />}
      {record && (
        <>
          <StockFacts record={record} />
          <StockControls record={record} label={props.product.name} onChange={setRecord} />
        </>
      )}
    </section>
  );
}

function ProductForm(props: { product?: Product; onSaved: (product: Product) => void }) {
  const editing = props.product !== undefined;
  const [values, setValues] = useState<Values>(() => valuesOf(props.product));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const edits = useEditedFields();
  const errors = edits.visible(fieldErrors(error));
  const set = (field: keyof Values) => (value: string) => {
    edits.markEdited(field);
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setStatus('');
    edits.reset();
    try {
      const input = inputOf(values);
      const saved = editing
        ? await api.updateProduct(props.product!._id, input)
        : await api.createProduct({
            ...input,
            quantity: values.quantity.trim() === '' ? Number.NaN : Number(values.quantity),
          });
      if (editing) setStatus('Changes saved.');
      props.onSaved(saved);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="product-form" onSubmit={submit} ref={form} noValidate>
      <FormAlert error={error} form={form} fields={[...FIELDS]} />
      <TextField
        id="product-name"
        label="Name"
        value={values.name}
        onValue={set('name')}
        error={errors.name}
        maxLength={200}
        required
      />
      <TextField
        id="product-description"
        label="Description"
        value={values.description}
        onValue={set('description')}
        error={errors.description}
        rows={4}
      />
      <TextField
        id="product-category"
        label="Category"
        value={values.category}
        onValue={set('category')}
        error={errors.category}
        required
      />
      <TextField
        id="product-price"
        label="Price"
        inputMode="decimal"
        hint="For example 19.99"
        value={values.price}
        onValue={set('price')}
        error={errors.price}
        required
      />
      {!editing && (
        <TextField
          id="product-quantity"
          label="Initial stock"
          inputMode="numeric"
          hint="Later changes go through the inventory."
          value={values.quantity}
          onValue={set('quantity')}
          error={errors.quantity}
          required
        />
      )}
      <TextField
        id="product-tags"
        label="Tags"
        hint="Separated by commas"
        value={values.tags}
        onValue={set('tags')}
        error={errors.tags}
      />
      <TextField
        id="product-image"
        label="Image URL (optional)"
        type="url"
        value={values.image_url}
        onValue={set('image_url')}
        error={errors.image_url}
      />
      <LiveStatus>{busy ? 'Saving…' : status}</LiveStatus>
      <button type="submit" disabled={busy}>
        {editing ? 'Save changes' : 'Create product'}
      </button>
    </form>
  );
}

/** `/admin/products/new`: create a product with its initial stock, then go to its page. */
export function NewProductPage() {
  return (
    <RequireRole title="New product" role="admin">
      {() => (
        <Page title="New product">
          <ProductForm
            onSaved={(product) => {
              showFlash(paths.adminProduct(product._id), `Created ${product.name}.`);
              navigate(paths.adminProduct(product._id));
            }}
          />
          <p>
            <a href={paths.adminProducts}>Back to the products</a>
          </p>
        </Page>
      )}
    </RequireRole>
  );
}

function EditProduct(props: { id: string }) {
  const product = useAsync((signal) => api.product(props.id, signal), [props.id]);
  const p = product.data;
  return (
    <Page title={p ? `Edit ${p.name}` : 'Edit product'}>
      <LiveStatus>{product.loading && !p ? 'Loading the product…' : ''}</LiveStatus>
      <ErrorMessage error={product.error} />
      {p && (
        <div class="two-columns">
          <section class="panel" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <ProductForm key={p._id} product={p} onSaved={(saved) => product.setData(saved)} />
          </section>
          <StockPanel product={p} />
        </div>
      )}
      <p>
        <a href={paths.adminProducts}>Back to the products</a>
      </p>
    </Page>
  );
}

/** `/admin/products/:id`: edit the product and see (and change) its stock. */
export function EditProductPage(props: { id: string }) {
  return (
    <RequireRole title="Edit product" role="admin">
      {() => <EditProduct id={props.id} />}
    </RequireRole>
  );
}
