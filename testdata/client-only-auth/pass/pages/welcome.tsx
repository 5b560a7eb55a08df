import Link from 'next/link'
import { AccountSwitch } from '../components/AccountSwitch'
import { GreetingLinks } from '../components/GreetingLinks'

// A landing page: the session only swaps a sign-in button for the user's name, a sign-out
// button and links to pages that protect themselves.
export default function Welcome() {
  return (
    <main>
      <AccountSwitch />
      <GreetingLinks />
      <Link href="/pricing">Pricing</Link>
    </main>
  )
}
