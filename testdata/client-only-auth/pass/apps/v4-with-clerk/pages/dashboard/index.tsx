import { useAuth } from '@clerk/nextjs'
import { useRouter } from 'next/router'
import { useEffect } from 'react'

export default function Dashboard() {
  const { isLoaded, isSignedIn } = useAuth()
  const router = useRouter()
  useEffect(() => {
    if (isLoaded && !isSignedIn) router.push('/login')
  }, [isLoaded, isSignedIn])
  return <p>Reports</p>
}
