// Stripe and Clerk share the sk_ prefixes: reported, but not called a Clerk key.
const stripe = require('stripe')('sk_test_J2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY') // expect: hardcoded-secret-key
export default async function handler(req, res) {
  res.json({ ok: true })
}
