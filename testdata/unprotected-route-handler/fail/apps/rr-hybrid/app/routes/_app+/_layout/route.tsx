import { requireUser } from '~/services/auth.server'

export const loader = async (args: any) => {
  const user = await requireUser(args)
  return { user }
}
