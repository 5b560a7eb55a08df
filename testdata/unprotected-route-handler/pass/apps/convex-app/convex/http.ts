import { httpRouter } from 'convex/server'
import { httpAction } from './_generated/server'
import { api, internal } from './_generated/api'
import { onClerkEvent } from './clerkWebhook'

const http = httpRouter()

// Reads the caller's identity from the bearer token and rejects a missing one.
http.route({
  path: '/notes/attach',
  method: 'POST',
  handler: httpAction(async (ctx, request) => {
    const identity = await ctx.auth.getUserIdentity()
    if (!identity) return new Response('Unauthorized', { status: 401 })
    const blob = await request.blob()
    const storageId = await ctx.storage.store(blob)
    await ctx.runMutation(internal.notes.attach, { owner: identity.subject, storageId })
    return new Response(null, { status: 200 })
  }),
})

// A webhook: the svix signature is verified in the handler's module.
http.route({
  path: '/clerk',
  method: 'POST',
  handler: onClerkEvent,
})

// The preflight of the route above: headers only, its origin from the environment.
http.route({
  path: '/notes/attach',
  method: 'OPTIONS',
  handler: httpAction(async (_, request) => {
    const origin = request.headers.get('Origin')
    const allowed = process.env.CLIENT_ORIGIN
    return new Response(null, {
      headers: { 'Access-Control-Allow-Origin': origin === allowed ? origin : '' },
    })
  }),
})

// Runs a query whose builder throws for a signed-out caller: the error ends this action too.
http.route({
  path: '/boards/export',
  method: 'GET',
  handler: httpAction(async (ctx) => {
    const boards = await ctx.runQuery(api.boards.list, {})
    await ctx.runMutation(internal.audit.exported, { count: boards.length })
    return new Response(JSON.stringify(boards))
  }),
})

export default http
