import { getAuth } from '@clerk/react-router/ssr.server'
import { draftsFor } from '../teams.server'

export async function loader(args: { request: Request; context: unknown }) { // expect: unprotected-route-handler
  const auth = await getAuth(args as never)
  return { drafts: await draftsFor(auth) }
}

export default function Drafts() {
  return null
}
