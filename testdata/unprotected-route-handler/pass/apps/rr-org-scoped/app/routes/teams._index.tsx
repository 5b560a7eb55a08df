import { getAuth } from '@clerk/react-router/ssr.server'
import { listTeams } from '../teams.server'

// The session's organization goes where listTeams refuses to go on without it.
export const loader = async (args: { request: Request; context: unknown }) => {
  const { orgId } = await getAuth(args as never)
  const teams = await listTeams({ org: orgId })
  return { teams }
}

export default function Teams() {
  return null
}
