import { withChecks, withForwarded, withOverridable } from '@/lib/with-checks'
import { withUser } from '@/lib/with-user'
import { db } from '@/lib/db'

const list = async () => Response.json(await db.note.findMany())

// Every check of `withChecks` is off unless an option turns it on.
export const GET = withChecks(list) // expect: unprotected-route-handler
export const POST = withChecks(list, { requireSession: false, audit: true }) // expect: unprotected-route-handler
export const PUT = withChecks(list, { requireSession: process.env.LOCKED === '1' }) // expect: unprotected-route-handler
// An options object replaces `withUser`'s default (`{ requireUser: true }`) as a whole.
export const PATCH = withUser(list, { log: true }) // expect: unprotected-route-handler
// Forwarded options that are not given.
export const DELETE = withForwarded(list) // expect: unprotected-route-handler
// `...options` after `requireSession: true`: the caller's `false` wins.
export const HEAD = withOverridable(list, { requireSession: false }) // expect: unprotected-route-handler
