import { requireUser } from '~/services/auth.server'
import { generate } from '~/services/ai.server'

export const action = async (args: any) => {
  await requireUser(args)
  return { text: await generate(await args.request.text()) }
}
