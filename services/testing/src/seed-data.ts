/** The seed's three products (seed 000 steps 3.1–3.3), verbatim, for every suite that walks the seed. */
export const SEED_PRODUCTS = [
  {
    name: 'Premium Smartphone',
    description: 'Latest model with high-end camera and long battery life',
    category: 'Electronics',
    price: 899.99,
    quantity: 50,
  },
  {
    name: 'Wireless Noise-Cancelling Headphones',
    description: 'Premium headphones with active noise cancellation',
    category: 'Audio',
    price: 249.99,
    quantity: 100,
  },
  {
    name: 'Smart Fitness Watch',
    description: 'Waterproof fitness tracker with heart rate monitoring',
    category: 'Wearables',
    price: 179.99,
    quantity: 75,
  },
];
