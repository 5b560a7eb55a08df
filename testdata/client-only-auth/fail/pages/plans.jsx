import { Show } from '@clerk/nextjs'

export default function Plans() {
  return (
    <Show when="signed-in" fallback={<p>Sign in</p>}> {/* expect: client-only-auth */}
      <p>Your plan</p>
    </Show>
  )
}
