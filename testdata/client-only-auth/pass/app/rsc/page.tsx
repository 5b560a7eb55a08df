// In a server component, <SignedIn> calls auth() and gates rendering on the server.
import { SignedIn } from '@clerk/nextjs'
import { ClientDashboard } from '@/components/ClientDashboard'

export default function RscPage() {
  return (
    <SignedIn>
      <ClientDashboard />
    </SignedIn>
  )
}
