import { getAuth } from '@clerk/nextjs/server'
import type { GetServerSidePropsContext } from 'next'
import { loadBilling, BillingRow } from '../lib/billing-api'

// loadBilling leaves with getServerSideProps; BillingRow is a type the compiler erases, so the
// whole import leaves the browser bundle.
export async function getServerSideProps(ctx: GetServerSidePropsContext) {
  const { userId } = getAuth(ctx.req)
  return { props: { billing: await loadBilling(userId) } }
}

export default function Billing({ billing }: { billing: BillingRow }) {
  return <p>{billing.plan}</p>
}
