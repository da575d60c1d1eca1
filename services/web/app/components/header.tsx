import { cartCount } from '../lib/cart.js';
import { cart } from '../lib/cart-store.js';
import { location } from '../lib/navigation.js';
import { paths } from '../lib/routes.js';
import { isAdmin, session, signOut } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import type { RefObject } from 'preact';

function NavLink(props: { href: string; label: string; ariaLabel?: string }) {
  const here = useStore(location).pathname;
  const current = here === props.href || (props.href !== '/' && here.startsWith(`${props.href}/`));
  return (
    <a href={props.href} aria-current={current ? 'page' : undefined} aria-label={props.ariaLabel}>
      {props.label}
    </a>
  );
}

/** Site header: the shop's navigation, the admin's, the account, and the assistant's toggle. */
export function Header(props: {
  chatOpen: boolean;
  onToggleChat: () => void;
  chatToggle: RefObject<HTMLButtonElement | null>;
}) {
  const state = useStore(session);
  const count = cartCount(useStore(cart));
  return (
    <header class="site-header">
      <div class="header-row">
        <a class="brand" href={paths.catalog}>
          Cartwheel
        </a>
        <nav aria-label="Shop">
          <ul>
            <li>
              <NavLink href={paths.catalog} label="Catalog" />
            </li>
            <li>
              <NavLink
                href={paths.cart}
                label={`Cart (${count})`}
                ariaLabel={`Cart, ${count} ${count === 1 ? 'item' : 'items'}`}
              />
            </li>
            {state.status === 'signed-in' && (
              <li>
                <NavLink href={paths.orders} label="My orders" />
              </li>
            )}
          </ul>
        </nav>
        <div class="account">
          {state.status === 'signed-in' ? (
            <>
              <span class="account-name">
                Signed in as <strong>{state.user.first_name || state.user.email}</strong>
              </span>
              <button type="button" class="button-link" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : state.status === 'signed-out' ? (
            <>
              <NavLink href={paths.signin()} label="Sign in" />
              <NavLink href={paths.register} label="Register" />
            </>
          ) : null}
          <button
            type="button"
            class="button-secondary chat-toggle"
            aria-expanded={props.chatOpen}
            aria-controls="chat-panel"
            ref={props.chatToggle}
            onClick={props.onToggleChat}
          >
            Assistant
          </button>
        </div>
      </div>
      {isAdmin(state) && (
        <nav aria-label="Admin" class="admin-nav">
          <span class="admin-label">Admin</span>
          <ul>
            <li>
              <NavLink href={paths.adminProducts} label="Products" />
            </li>
            <li>
              <NavLink href={paths.adminInventory} label="Inventory" />
            </li>
            <li>
              <NavLink href={paths.adminOrders} label="All orders" />
            </li>
          </ul>
        </nav>
      )}
    </header>
  );
}
