// A server component rendering a client component that gates.
import { DashboardGate } from '@/components/DashboardGate'

export default function DashboardPage() {
  return (
    <main>
      <h1>Dashboard</h1>
      <DashboardGate /> {/* expect: client-only-auth */}
    </main>
  )
}
