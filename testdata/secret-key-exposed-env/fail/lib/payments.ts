// Server code pulled into the browser bundle by components/Checkout.tsx: its secret reads
// are `undefined` there and are reported once, at the first; CLERK_SECRET_KEY is inlined by
// next.config `env`, so its value ships and each of its reads is reported.
export function paymentProviders() {
  return {
    stripe: { key: process.env.STRIPE_SECRET_KEY }, // expect: secret-key-exposed-env
    paypal: { secret: process.env.PAYPAL_CLIENT_SECRET },
    webhooks: { secret: process.env.STRIPE_WEBHOOK_SECRET },
  }
}

export function clerkBackendKey() {
  return process.env.CLERK_SECRET_KEY // expect: secret-key-exposed-env
}

export function clerkBackendHeaders() {
  return { authorization: `Bearer ${process.env.CLERK_SECRET_KEY}` } // expect: secret-key-exposed-env
}
