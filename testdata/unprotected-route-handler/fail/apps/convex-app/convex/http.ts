import { httpRouter } from 'convex/server'
import { httpAction } from './_generated/server'
import { api, internal } from './_generated/api'
import { importNotes } from './importer'

const http = httpRouter()

// Anyone who knows the deployment's .convex.site origin attaches a file to any note.
http.route({ // expect: unprotected-route-handler
  path: '/notes/attach',
  method: 'POST',
  handler: httpAction(async (ctx, request) => {
    const noteId = request.headers.get('x-note-id')
    const blob = await request.blob()
    const storageId = await ctx.storage.store(blob)
    await ctx.runMutation(internal.notes.attach, { noteId, storageId })
    return new Response(null, { status: 200 })
  }),
})

// Defined in another module: an HTTP action of the project, unchecked there too.
http.route({ // expect: unprotected-route-handler
  pathPrefix: '/import/',
  method: 'PUT',
  handler: importNotes,
})

// The query it runs returns [] to a signed-out caller (no error): the write below still runs.
http.route({ // expect: unprotected-route-handler
  path: '/boards/touch',
  method: 'POST',
  handler: httpAction(async (ctx) => {
    const boards = await ctx.runQuery(api.boards.mine, {})
    await ctx.runMutation(internal.audit.touched, { count: boards.length })
    return new Response('ok')
  }),
})

export default http
