// Two levels: a server shell renders the client component that gates and fetches.
import { ReportsShell } from '@/components/ReportsShell'

export default function ReportsPage() {
  return <ReportsShell id="latest" /> // expect: client-only-auth
}
