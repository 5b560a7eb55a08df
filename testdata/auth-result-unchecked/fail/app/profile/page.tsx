import { auth, currentUser } from '@clerk/nextjs/server'
import { redirect } from 'next/navigation'

// The profile is read before the check: a signed-out request reaches it.
export default async function Profile() {
  const user = await currentUser() // expect: auth-result-unchecked
  const email = user?.emailAddresses[0]?.emailAddress
  const { userId } = await auth()
  if (!userId) redirect('/sign-in')
  return <p>{email ?? 'no email'}</p>
}
