// Secrets passed to server components stay on the server; public values may cross.
import { ServerPanel } from '../../components/ServerPanel'
import { ClientPanel } from '../../components/ClientPanel'

export default function Panel() {
  return (
    <>
      <ServerPanel apiKey={process.env.ADMIN_API_KEY} />
      <ClientPanel
        publishableKey={process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY}
        mode={process.env.NODE_ENV}
      />
      <LocalThing secret={process.env.CLERK_SECRET_KEY} />
    </>
  )
}

function LocalThing({ secret }: { secret?: string }) {
  return <p>{secret ? 'ok' : 'missing'}</p>
}
