import { getAuth } from '@clerk/nextjs/server'
import { loadBilling, BILLING_PLANS } from '../lib/billing-api'

// JavaScript: only the bindings the stripped function used go; BILLING_PLANS, never used,
// keeps the import (and the module's code) in the browser bundle.
export async function getServerSideProps(ctx) {
  const { userId } = getAuth(ctx.req)
  return { props: { billing: await loadBilling(userId) } }
}

export default function Billing({ billing }) {
  return <p>{billing.plan}</p>
}
