// A project helper that redirects when signed out protects the page.
import { requireUser } from '@/lib/session'
import { ClientDashboard } from '@/components/ClientDashboard'

export default async function HelperPage() {
  await requireUser()
  return <ClientDashboard />
}
