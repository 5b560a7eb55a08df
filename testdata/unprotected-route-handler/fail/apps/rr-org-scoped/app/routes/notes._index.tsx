import { getAuth } from '@clerk/react-router/ssr.server'
import { notesOf } from '../teams.server'

export async function loader(args: { request: Request; context: unknown }) { // expect: unprotected-route-handler
  const { userId } = await getAuth(args as never)
  return { notes: await notesOf(userId) }
}

export default function Notes() {
  return null
}
