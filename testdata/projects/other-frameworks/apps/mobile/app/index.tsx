import { useAuth } from '@clerk/clerk-expo'

export default function Home() {
  const { isSignedIn } = useAuth()
  return isSignedIn ? null : null
}
