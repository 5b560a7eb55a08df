import { getAuth } from '@clerk/react-router/ssr.server'
import { listTeams } from '../teams.server'

export const loader = async (args: { request: Request; context: unknown }) => { // expect: unprotected-route-handler
  const { orgId } = await getAuth(args as never)
  const teams = await listTeams({ org: orgId })
  return { teams }
}

export default function Teams() {
  return null
}
