import { httpAction } from './_generated/server'
import { internal } from './_generated/api'

export const importNotes = httpAction(async (ctx, request) => {
  const rows = await request.json()
  await ctx.runMutation(internal.notes.bulkInsert, { rows })
  return new Response('ok')
})
