import { createNextRouteHandler } from 'uploadthing/next'
import { avatarRouter } from '../../../lib/avatar-router'

export const { GET, POST } = createNextRouteHandler({ router: avatarRouter }) // expect: unprotected-route-handler
