import { getUser } from '../users.server'

export async function loader({ params }: { params: { userId: string } }) { // expect: unprotected-route-handler
  return getUser(params.userId)
}

export default function User() {
  return null
}
