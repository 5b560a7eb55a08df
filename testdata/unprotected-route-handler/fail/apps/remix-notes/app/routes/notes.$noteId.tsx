import type { LoaderFunctionArgs } from '@remix-run/node'
import { getAuth } from '@clerk/remix/ssr.server'
import { notes } from '../notes.server'

export async function loader(args: LoaderFunctionArgs) { // expect: unprotected-route-handler
  // Reads the session but never acts on it.
  const { userId } = await getAuth(args)
  console.log(userId)
  return notes.get(args.params.noteId ?? '')
}
