import { auth } from '@clerk/nextjs/server'

export default async function Dashboard() {
  const { userId, redirectToSignIn } = await auth()
  if (!userId) return redirectToSignIn()
  return <h1>Dashboard</h1>
}
