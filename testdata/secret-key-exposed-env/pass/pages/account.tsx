import { getAuth } from '@clerk/nextjs/server'
import { adminApi } from '../lib/admin-api'

export async function getServerSideProps(ctx) {
  const { userId } = getAuth(ctx.req)
  const secret = process.env.CLERK_SECRET_KEY
  return { props: { plan: await adminApi(userId, secret) } }
}

export default function Account({ plan }) {
  return <p>{plan}</p>
}
