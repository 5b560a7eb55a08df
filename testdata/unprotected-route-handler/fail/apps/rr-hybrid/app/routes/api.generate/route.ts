import { requireUser } from '~/services/auth.server'
import { generate } from '~/services/ai.server'

// The guard is called without `await`: its rejection never stops the action.
export const action = async (args: any) => { // expect: unprotected-route-handler
  requireUser(args)
  return { text: await generate(await args.request.text()) }
}
