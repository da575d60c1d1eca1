import { useRef, useState } from 'preact/hooks';

import { ChatPanel } from './components/chat-panel.js';
import { Header } from './components/header.js';
import { location } from './lib/navigation.js';
import { matchRoute, type Route } from './lib/routes.js';
import { useStore } from './lib/store.js';
import { AdminOrdersPage } from './pages/admin/orders-page.js';
import { EditProductPage, NewProductPage } from './pages/admin/product-form-page.js';
import { AdminProductsPage } from './pages/admin/products-page.js';
import { InventoryPage } from './pages/admin/inventory-page.js';
import { CartPage } from './pages/cart-page.js';
import { CatalogPage } from './pages/catalog-page.js';
import { CheckoutPage } from './pages/checkout-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { OrderPage } from './pages/order-page.js';
import { OrdersPage } from './pages/orders-page.js';
import { ProductPage } from './pages/product-page.js';
import { RegisterPage } from './pages/register-page.js';
import { SignInPage } from './pages/signin-page.js';

function CurrentPage(props: { route: Route }) {
  const { route } = props;
  switch (route.page) {
    case 'catalog':
      return <CatalogPage />;
    case 'product':
      return <ProductPage key={route.id} id={route.id} />;
    case 'cart':
      return <CartPage />;
    case 'checkout':
      return <CheckoutPage />;
    case 'orders':
      return <OrdersPage />;
    case 'order':
      return <OrderPage key={route.id} id={route.id} />;
    case 'signin':
      return <SignInPage />;
    case 'register':
      return <RegisterPage />;
    case 'admin-products':
      return <AdminProductsPage />;
    case 'admin-product-new':
      return <NewProductPage />;
    case 'admin-product':
      return <EditProductPage key={route.id} id={route.id} />;
    case 'admin-inventory':
      return <InventoryPage />;
    case 'admin-orders':
      return <AdminOrdersPage />;
    case 'not-found':
      return <NotFoundPage />;
  }
}

/** The shell: skip link, header, the current page, and the assistant panel beside it. */
export function App() {
  const here = useStore(location);
  const [chatOpen, setChatOpen] = useState(false);
  const chatToggle = useRef<HTMLButtonElement>(null);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <Header chatOpen={chatOpen} onToggleChat={() => setChatOpen((open) => !open)} chatToggle={chatToggle} />
      <div class={chatOpen ? 'layout layout-with-chat' : 'layout'}>
        <main id="main" tabIndex={-1}>
          <CurrentPage route={matchRoute(here.pathname)} />
        </main>
        <ChatPanel open={chatOpen} onClose={() => setChatOpen(false)} toggle={chatToggle} />
      </div>
      <footer class="site-footer">
        <p>
          Cartwheel demo shop · <a href="/docs">API documentation</a>
        </p>
      </footer>
    </>
  );
}
