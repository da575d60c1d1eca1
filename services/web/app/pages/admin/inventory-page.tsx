import { useState } from 'preact/hooks';

import { Page } from '../../components/page.js';
import { RequireRole } from '../../components/require-role.js';
import { StockControls, StockFacts } from '../../components/stock-controls.js';
import { ErrorMessage, LiveStatus } from '../../components/status.js';
import { api } from '../../lib/api.js';
import { paths } from '../../lib/routes.js';
import type { Product, StockRecord } from '../../lib/types.js';
import { useAsync } from '../../lib/use-async.js';

/** The inventory API pages by 100 at most; the admin view shows that many per list. */
const LIMIT = 100;

interface StockView {
  low: StockRecord[];
  others: StockRecord[];
  lowTotal: number;
  othersTotal: number;
  names: Map<string, string>;
}

async function loadStock(signal: AbortSignal): Promise<StockView> {
  const [low, others] = await Promise.all([
    api.stockList(`low_stock=true&limit=${LIMIT}`, signal),
    api.stockList(`low_stock=false&limit=${LIMIT}`, signal),
  ]);
  const ids = [...new Set([...low.items, ...others.items].map((r) => r.product_id))];
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 100) {
    const { items } = await api.productsByIds(ids.slice(i, i + 100), signal);
    for (const product of items as Product[]) names.set(product._id, product.name);
  }
  return { low: low.items, others: others.items, lowTotal: low.total, othersTotal: others.total, names };
}

function StockCard(props: { record: StockRecord; name: string | undefined }) {
  const [record, setRecord] = useState(props.record);
  const label = props.name ?? `product ${record.product_id}`;
  const headingId = `stock-${record.product_id}`;
  return (
    <li class="stock-card">
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>
          {props.name ? <a href={paths.adminProduct(record.product_id)}>{props.name}</a> : label}
        </h3>
        <StockFacts record={record} />
        <StockControls record={record} label={label} onChange={setRecord} />
      </article>
    </li>
  );
}

function StockList(props: {
  title: string;
  id: string;
  records: StockRecord[];
  total: number;
  names: Map<string, string>;
  empty: string;
}) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title} ({props.total})
      </h2>
      {props.records.length === 0 ? (
        <p>{props.empty}</p>
      ) : (
        <ul class="stock-grid">
          {props.records.map((record) => (
            <StockCard key={record.product_id} record={record} name={props.names.get(record.product_id)} />
          ))}
        </ul>
      )}
      {props.total > props.records.length && (
        <p class="note">
          Showing the first {props.records.length} of {props.total}.
        </p>
      )}
    </section>
  );
}

function Inventory() {
  const stock = useAsync(loadStock, []);
  const view = stock.data;
  return (
    <>
      <div class="toolbar">
        <button type="button" class="button-secondary" onClick={stock.reload}>
          Refresh
        </button>
      </div>
      <LiveStatus>{stock.loading ? 'Loading stock levels…' : ''}</LiveStatus>
      <ErrorMessage error={stock.error} retry={stock.reload} />
      {view && (
        <>
          <StockList
            id="low-stock-title"
            title="Low stock"
            records={view.low}
            total={view.lowTotal}
            names={view.names}
            empty="Nothing is below its reorder threshold."
          />
          <StockList
            id="stock-title"
            title="Everything else"
            records={view.others}
            total={view.othersTotal}
            names={view.names}
            empty="No other stock records."
          />
        </>
      )}
    </>
  );
}

/** `/admin/inventory`: stock levels, low stock first, with restock and adjust. */
export function InventoryPage() {
  return (
    <RequireRole title="Inventory" role="admin">
      {() => (
        <Page title="Inventory">
          <Inventory />
        </Page>
      )}
    </RequireRole>
  );
}
