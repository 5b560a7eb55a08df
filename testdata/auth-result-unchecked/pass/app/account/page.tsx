import { auth } from '@clerk/nextjs/server'

// The middleware protects /account(.*): a session is guaranteed here.
export default async function Account() {
  const { userId } = await auth()
  return <p>{userId}</p>
}
