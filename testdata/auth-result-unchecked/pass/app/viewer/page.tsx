import { auth } from '@clerk/nextjs/server'
import { Profile } from './profile'

// A public page: the component shows the "message" button only to a signed-in viewer.
export default async function Page() {
  const { userId } = await auth()
  return <Profile viewerId={userId} />
}
