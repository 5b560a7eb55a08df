// The page checks the session itself before rendering the client component.
import { auth } from '@clerk/nextjs/server'
import { redirect } from 'next/navigation'
import { ClientDashboard } from '@/components/ClientDashboard'

export default async function OwnPage() {
  const { userId } = await auth()
  if (!userId) redirect('/sign-in')
  return <ClientDashboard />
}
