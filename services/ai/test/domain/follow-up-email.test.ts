import { expect } from 'chai';
import { renderEmail, type PlacedOrder } from '../../src/domain/follow-up-email.js';

const order: PlacedOrder = {
  id: 'o-1',
  userId: '42',
  email: 'shopper@example.com',
  items: [
    { product_id: 'p1', name: 'Headphones <Pro>', quantity: 1, price: 249.99 },
    { product_id: 'p2', name: 'Watch', quantity: 2, price: 179.99 },
  ],
  total: 609.97,
  currency: 'USD',
};

describe('renderEmail', () => {
  const email = renderEmail(order, { subject: 'Thanks', paragraphs: ['Enjoy "it" & <more>.'] });

  it('lists every line with its exact total and the order total', () => {
    expect(email.text).to.contain('1 × Headphones <Pro>: $249.99');
    expect(email.text).to.contain('2 × Watch: $359.98');
    expect(email.text).to.contain('Total: $609.97');
  });

  it('escapes the copy and the product names in the HTML part', () => {
    expect(email.html).to.contain('Enjoy &quot;it&quot; &amp; &lt;more&gt;.');
    expect(email.html).to.contain('Headphones &lt;Pro&gt;');
    expect(email.html).not.to.contain('<more>').and.not.to.contain('<Pro>');
  });

  it('writes other currencies after the amount', () => {
    expect(renderEmail({ ...order, currency: 'EUR' }, { subject: 's', paragraphs: ['p'] }).text).to.contain(
      'Total: 609.97 EUR',
    );
  });
});
