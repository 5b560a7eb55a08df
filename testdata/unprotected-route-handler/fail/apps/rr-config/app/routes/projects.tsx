import { db } from '../db.server'
import type { Route } from './+types/projects'

export async function loader(_args: Route.LoaderArgs) { // expect: unprotected-route-handler
  return { projects: await db.project.findMany() }
}

export default function Projects() {
  return null
}
