import { redirect } from 'react-router'
import { getAuth } from '@clerk/react-router/server'
import { db } from '../db.server'
import type { Route } from './+types/project'

export async function loader(args: Route.LoaderArgs) {
  const { userId } = await getAuth(args)
  if (!userId) throw redirect('/sign-in')
  return db.project.findFirst({ where: { id: args.params.projectId, ownerId: userId } })
}

export async function action(args: Route.ActionArgs) { // expect: unprotected-route-handler
  const form = await args.request.formData()
  await db.project.delete({ where: { id: String(form.get('id')) } })
  return redirect('/projects')
}

export default function Project() {
  return null
}
