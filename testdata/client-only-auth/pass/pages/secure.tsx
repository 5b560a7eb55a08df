import { getAuth } from '@clerk/nextjs/server'
import { useUser } from '@clerk/nextjs'

export async function getServerSideProps(ctx) {
  const { userId } = getAuth(ctx.req)
  if (!userId) {
    return { redirect: { destination: '/sign-in', permanent: false } }
  }
  return { props: {} }
}

export default function Secure() {
  const { user } = useUser()
  if (!user) return <p>Loading</p>
  return <p>{user.id}</p>
}
