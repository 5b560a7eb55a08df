import { createCookie } from '@remix-run/node'

// A signed cookie: its value is trusted later because only the server can sign one.
export const layoutCookie = createCookie('layout', {
  path: '/',
  secrets: [process.env.COOKIE_SECRET ?? ''],
})
