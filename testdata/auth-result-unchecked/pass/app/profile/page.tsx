import { auth, currentUser } from '@clerk/nextjs/server'
import { redirect } from 'next/navigation'

// The session is checked first: past the redirect the request has a user, so the profile
// read after it is only handled null-safely.
export default async function Profile() {
  const { userId } = await auth()
  if (!userId) redirect('/sign-in')

  const user = await currentUser()
  const email = user?.emailAddresses[0]?.emailAddress
  return <p>{email ?? 'no email'}</p>
}
