import { headerText } from '../header-text.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import type { EmailContent, UserCreated } from '../notification.js';

/** `user.created` → a welcome to the new account. */
export function welcomeEmail(user: UserCreated): EmailContent {
  const name = user.first_name.trim() || 'there';
  return layout({
    subject: headerText(`Welcome to Cartwheel, ${name}!`),
    heading: `Welcome, ${name}!`,
    body: html`<p>Your Cartwheel account <strong>${user.email}</strong> is ready.</p>
      <p>
        Browse the catalog, keep your addresses in your profile, and follow every order from confirmation to
        delivery: we will write to you at each step.
      </p>`,
    text: `Your Cartwheel account ${user.email} is ready.

Browse the catalog, keep your addresses in your profile, and follow every order from
confirmation to delivery: we will write to you at each step.`,
  });
}
