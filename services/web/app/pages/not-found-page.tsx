import { Page } from '../components/page.js';
import { paths } from '../lib/routes.js';

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>
        There is no page at this address. <a href={paths.catalog}>Go to the catalog</a>
      </p>
    </Page>
  );
}
