import { auth } from '@clerk/nextjs/server'

export default async function Page() {
  const { userId } = await auth()
  if (!userId) return null
  return <p>{userId}</p>
}
