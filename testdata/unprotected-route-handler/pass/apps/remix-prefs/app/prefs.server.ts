import { createCookie } from '@remix-run/node'

// An unsigned cookie: the browser keeps the caller's own display preferences.
export const layoutCookie = createCookie('layout', {
  path: '/',
  sameSite: 'lax',
  maxAge: 60 * 60 * 24 * 365,
})
