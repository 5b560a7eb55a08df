import { useUser } from '@clerk/nextjs'

// getServerSideProps runs on the server but checks nothing.
export const getServerSideProps = () => ({ props: {} })

export default function InvoicesLegacy() {
  const { user } = useUser()
  if (!user) return <p>Sign in first</p> // expect: client-only-auth
  return <p>{user.id}</p>
}
